package io.runnel.kernel.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.runnel.api.mail.EmailAddress;
import io.runnel.grpc.v1.InjectError;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectResponse;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.grpc.v1.InjectionServiceGrpc;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.ingest.Reception;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.spool.Spool;
import io.runnel.kernel.spool.SpoolException;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * InjectionService: builds the envelope and the message, then hands them to {@link Reception} exactly as an SMTP
 * session does (scanners, signers, Received header, spool commit). The reply waits for the commit.
 */
final class InjectionGrpcService extends InjectionServiceGrpc.InjectionServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(InjectionGrpcService.class);
    /** Listener name and protocol keyword in Received headers and records of injected mail. */
    static final String LISTENER = "grpc";
    private static final String PROTOCOL = "GRPC";

    private final Reception reception;
    private final Spool spool;
    private final RunnelConfig config;
    private final Clock clock;
    private final RandomGenerator random;
    private final Intake intake;

    @Inject
    InjectionGrpcService(Reception reception, Spool spool, RunnelConfig config, Clock clock, RandomGenerator random,
                         Intake intake) {
        this.reception = reception;
        this.spool = spool;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.intake = intake;
    }

    @Override
    public void inject(InjectRequest request, StreamObserver<InjectResponse> out) {
        Calls.complete(out, injectOne(request, CallerAuthentication.PEER.get()));
    }

    /**
     * Pulls the stream's messages in with at most this many being stored at once. Without a bound, a client that
     * sends faster than the spool commits would pile message bodies up in the heap (gRPC asks for the next message as
     * soon as onNext returns, and storing is asynchronous); with it, the client waits in gRPC flow control.
     */
    static final int STREAM_IN_FLIGHT = 32;

    @Override
    public StreamObserver<InjectRequest> injectStream(StreamObserver<InjectResult> out) {
        String peer = CallerAuthentication.PEER.get();
        ServerCallStreamObserver<InjectResult> call = (ServerCallStreamObserver<InjectResult>) out;
        call.disableAutoRequest();
        call.request(STREAM_IN_FLIGHT);
        return new StreamObserver<>() {
            // results leave in request order, one at a time, though the messages are stored concurrently
            private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
            private long index;

            @Override
            public void onNext(InjectRequest request) {
                long position = index++;
                CompletableFuture<InjectResult> result = injectOne(request, peer).handle((accepted, failure) -> {
                    InjectResult.Builder b = InjectResult.newBuilder().setClientRef(request.getClientRef()).setIndex(position);
                    if (failure == null) {
                        return b.setAccepted(accepted).build();
                    }
                    StatusRuntimeException status = GrpcErrors.statusFor(failure);
                    InjectError.Builder error = InjectError.newBuilder().setCode(status.getStatus().getCode().value())
                            .setMessage(String.valueOf(status.getStatus().getDescription()));
                    GrpcErrors.smtpReplyOf(failure).ifPresent(reply -> error.setSmtpResponse(ProtoValues.response(reply)));
                    return b.setError(error).build();
                });
                result.whenComplete((done, failure) -> call.request(1));
                previous = previous.thenCombine(result, (done, r) -> r).thenAccept(out::onNext);
            }

            @Override
            public void onError(Throwable t) {
                // the client gave up: messages already handed in are stored anyway, nobody is left to tell
            }

            @Override
            public void onCompleted() {
                previous.whenComplete((done, failure) -> {
                    if (failure != null) {
                        out.onError(GrpcErrors.statusFor(failure));
                    } else {
                        out.onCompleted();
                    }
                });
            }
        };
    }

    private CompletableFuture<InjectResponse> injectOne(InjectRequest request, String peer) {
        Reception.Envelope envelope;
        byte[] message;
        try {
            if (intake.draining()) {
                throw Status.FAILED_PRECONDITION.withDescription("draining: not accepting new mail").asRuntimeException();
            }
            Map<String, String> metadata = InjectedMetadata.validated(request.getMetadataMap());
            message = message(request);
            envelope = envelope(request, message, metadata);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        ReceptionFacts facts = new ReceptionFacts(LISTENER, peer, LISTENER, PROTOCOL, Optional.empty(), Optional.empty());
        return reception.receive(config.server().hostname(), facts, envelope, Unpooled.wrappedBuffer(message),
                ByteBufAllocator.DEFAULT).thenApply(this::response);
    }

    private InjectResponse response(SpoolId id) {
        InjectResponse.Builder b = InjectResponse.newBuilder().setId(id.toString());
        try {
            Optional<MessageMeta> meta = spool.loadMeta(id);
            meta.ifPresent(m -> QueueManager.queuesOf(m).forEach(q -> b.addQueues(q.toString())));
        } catch (SpoolException e) {
            // stored and committed: the queue names are a courtesy, the reply stands without them
            log.atDebug().addKeyValue("spool_id", id).setCause(e).log("queues of an injected message not read");
        }
        return b.build();
    }

    /** The message bytes, CRLF throughout, with the tenant and campaign headers in front when given. */
    private byte[] message(InjectRequest request) {
        byte[] body = switch (request.getContentCase()) {
            case RAW -> {
                if (request.getRaw().isEmpty()) {
                    throw GrpcErrors.invalid("raw: empty message");
                }
                yield MessageAssembly.normalize(request.getRaw().toByteArray());
            }
            case COMPOSED -> MessageAssembly.compose(request.getComposed(), config.server().hostname(),
                    clock.instant().atZone(clock.getZone()), random);
            case CONTENT_NOT_SET -> throw GrpcErrors.invalid("give raw or composed content");
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 128);
        // reception reads the first occurrence, so these win over headers in the content
        if (!request.getTenant().isEmpty()) {
            out.writeBytes(MessageAssembly.field(config.reception().tenantHeader(), label(request.getTenant(), "tenant")));
        }
        if (!request.getCampaign().isEmpty()) {
            out.writeBytes(MessageAssembly.field(config.reception().campaignHeader(), label(request.getCampaign(), "campaign")));
        }
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static Reception.Envelope envelope(InjectRequest request, byte[] message, Map<String, String> metadata) {
        EmailAddress sender;
        if (!request.getEnvelopeSender().isEmpty()) {
            sender = address(request.getEnvelopeSender(), "envelope_sender");
        } else if (request.hasComposed()) {
            sender = address(request.getComposed().getFrom(), "composed.from");
        } else {
            sender = EmailAddress.NULL_SENDER;
        }
        List<String> texts = new ArrayList<>(request.getEnvelopeRecipientsList());
        if (texts.isEmpty() && request.hasComposed()) {
            texts.addAll(request.getComposed().getToList());
            texts.addAll(request.getComposed().getCcList());
            texts.addAll(request.getComposed().getBccList());
        }
        if (texts.isEmpty()) {
            throw GrpcErrors.invalid("no recipients: give envelope_recipients");
        }
        Set<EmailAddress> addresses = new LinkedHashSet<>();
        for (String text : texts) {
            addresses.add(address(text, "recipient"));
        }
        List<Recipient> recipients = addresses.stream()
                .map(a -> Recipient.pending(a, Set.of(), Optional.empty())).toList();
        boolean utf8 = !sender.isAscii() || addresses.stream().anyMatch(a -> !a.isAscii());
        boolean eightBit = false;
        for (byte b : message) {
            if (b < 0) {
                eightBit = true;
                break;
            }
        }
        MailParameters parameters = new MailParameters(eightBit ? MailParameters.BodyType.EIGHT_BIT_MIME
                : MailParameters.BodyType.SEVEN_BIT, utf8, Optional.empty(), Optional.empty());
        return new Reception.Envelope(sender, parameters, recipients, metadata);
    }

    /** A mailbox from {@code user@example.com} or {@code Name <user@example.com>}. */
    private static EmailAddress address(String text, String field) {
        String t = text.strip();
        int open = t.lastIndexOf('<');
        if (open >= 0 && t.endsWith(">")) {
            t = t.substring(open + 1, t.length() - 1);
        }
        try {
            return EmailAddress.parse(t);
        } catch (IllegalArgumentException e) {
            throw GrpcErrors.invalid(field + " \"" + text + "\": " + e.getMessage());
        }
    }

    private static String label(String value, String what) {
        if (value.length() > 128 || value.chars().anyMatch(c -> c == ':' || c == '@' || c <= ' ' || c == 0x7f)) {
            throw GrpcErrors.invalid(what + " must be at most 128 characters without ':', '@' or spaces");
        }
        return value;
    }
}
