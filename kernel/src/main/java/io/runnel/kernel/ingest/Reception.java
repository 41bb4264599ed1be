package io.runnel.kernel.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.NetUtil;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.mail.HeaderField;
import io.runnel.api.sign.SigningRequest;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.config.ReceptionConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.reload.Live;
import io.runnel.kernel.reload.LiveConfig;
import io.runnel.kernel.rules.ReceptionDecision;
import io.runnel.kernel.rules.ReceptionInput;
import io.runnel.kernel.rules.RuleEngine;
import io.runnel.kernel.rules.RuleException;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.log.DeliveryLog;
import io.runnel.kernel.log.LogRecord;
import io.runnel.kernel.metrics.ReceptionMetrics;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.report.ReportReception;
import io.runnel.kernel.spool.Spool;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in a complete message from any listener: gives it an id, prepends the Received header and stores it in the
 * spool. The returned future completes once the message is durable, which is when the listener may say 250.
 * (Postfix cleanup: tenant rules, then scanners, then signers run here, before the commit.)
 */
public final class Reception {

    private static final Logger log = LoggerFactory.getLogger(Reception.class);
    /** A rule threw or ran too long: the client tries again later, the log names the rule's file and line. */
    static final SmtpReply RULE_FAILED = SmtpReply.of(451, "4.3.0", "Local error in processing, try again later");

    private final Spool spool;
    private final SpoolId.Factory ids;
    private final Clock clock;
    private final QueueManager queues;
    private final DeliveryLog records;
    private final Scanners scanners;
    private final Signers signers;
    private final LiveConfig live;
    private final RuleEngine rules;
    private final ReceptionMetrics metrics;
    private final List<String> logHeaders;
    private final ReportReception reports;

    @Inject
    Reception(Spool spool, SpoolId.Factory ids, Clock clock, QueueManager queues, DeliveryLog records, Scanners scanners,
              Signers signers, LiveConfig live, RuleEngine rules, RunnelConfig config, ReceptionMetrics metrics,
              ReportReception reports) {
        this.spool = spool;
        this.ids = ids;
        this.clock = clock;
        this.queues = queues;
        this.records = records;
        this.scanners = scanners;
        this.signers = signers;
        this.live = live;
        this.rules = rules;
        this.metrics = metrics;
        this.logHeaders = config.reports().logHeaders();
        this.reports = reports;
    }

    /**
     * The envelope of one transaction.
     *
     * @param metadata free-form key/value pairs to keep with the message (gRPC injection); SMTP gives none
     */
    public record Envelope(EmailAddress sender, MailParameters parameters, List<Recipient> recipients,
                           Map<String, String> metadata) {
        public Envelope {
            recipients = List.copyOf(recipients);
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        public Envelope(EmailAddress sender, MailParameters parameters, List<Recipient> recipients) {
            this(sender, parameters, recipients, Map.of());
        }
    }

    /**
     * Runs the tenant rules, scans, signs and stores the message; the future completes once it is durable, or
     * exceptionally with {@link ReceptionRefused} when a rule or scanning refuses it, a rule fails (451 4.3.0) or a
     * signer fails. Takes ownership of {@code content} (the message as the client sent it, unstuffed). The whole
     * message is handled under one generation of the live configuration.
     *
     * @param hostname the receiving listener's host name, for the Received header
     */
    public CompletableFuture<SpoolId> receive(String hostname, ReceptionFacts facts, Envelope envelope, ByteBuf content,
                                              ByteBufAllocator alloc) {
        List<EmailAddress> reportTo = envelope.recipients().stream().map(Recipient::address)
                .filter(reports::isReportAddress).toList();
        if (reportTo.isEmpty()) {
            return relay(hostname, facts, envelope, content, alloc);
        }
        // bounces and feedback reports are read here, not relayed; other recipients of the same message still are
        byte[] report = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), report);
        CompletableFuture<SpoolId> read = reports.receive(facts, envelope.sender(), reportTo, report);
        List<Recipient> others = envelope.recipients().stream().filter(r -> !reports.isReportAddress(r.address())).toList();
        if (others.isEmpty()) {
            content.release();
            return read;
        }
        Envelope relayed = new Envelope(envelope.sender(), envelope.parameters(), others, envelope.metadata());
        return read.thenCombine(relay(hostname, facts, relayed, content, alloc), (reportId, spooled) -> spooled);
    }

    private CompletableFuture<SpoolId> relay(String hostname, ReceptionFacts facts, Envelope envelope, ByteBuf content,
                                             ByteBufAllocator alloc) {
        Live now = live.current();
        ReceptionConfig config = now.config().reception();
        ReceptionInput input;
        Map<String, String> captured;
        ContentView received;
        try {
            received = new ContentView(content);
            captured = captured(received);
            Optional<String> tenant = now.config().rules().tenantFor(facts.authIdentity(), facts.listener(),
                    NetUtil.createInetAddressFromIpAddressString(facts.peerAddress()), label(received, config.tenantHeader()));
            input = new ReceptionInput(facts, envelope.sender().toString(),
                    envelope.recipients().stream().map(r -> r.address().toString()).toList(), received.headers(), tenant,
                    label(received, config.campaignHeader()));
        } catch (RuntimeException e) {
            content.release();
            throw e;
        }
        // the buffer this message owns now: rules that edit header fields replace it
        AtomicReference<ByteBuf> owned = new AtomicReference<>(content);
        return rules.reception(now.rules(), input)
                .exceptionallyCompose(failure -> {
                    String reason = rootMessage(failure);
                    logRejection(facts, envelope, content.readableBytes(), RULE_FAILED, Map.of("rule_error", reason));
                    return CompletableFuture.failedFuture(new ReceptionRefused(RULE_FAILED, "rule failed: " + reason));
                })
                .thenCompose(decision -> {
                    Optional<SmtpReply> refusal = decision.refusal().or(() -> unknownPool(now, decision));
                    if (refusal.isPresent()) {
                        logRejection(facts, envelope, content.readableBytes(), refusal.get(), Map.of());
                        return CompletableFuture.<Prepared>failedFuture(new ReceptionRefused(refusal.get(), "refused by a rule"));
                    }
                    ContentView view = received;
                    if (decision.headersChanged()) {
                        ByteBuf edited = received.withHeaders(decision.headers(), alloc);
                        owned.set(edited);
                        content.release();
                        view = new ContentView(edited);
                    }
                    return prepare(now, view, owned.get().readableBytes(), envelope, facts, decision);
                }).whenComplete((prepared, failure) -> {
                    if (failure != null) {
                        owned.get().release();
                    }
                }).thenCompose(prepared -> store(hostname, facts, envelope, owned.get(), alloc, captured, prepared));
    }

    /** Scans and signs: what to prepend, and the facts for the Reception record. */
    private CompletableFuture<Prepared> prepare(Live now, ContentView view, long size, Envelope envelope,
                                                ReceptionFacts facts, ReceptionDecision decision) {
        return scanners.scan(view, size, decision.tenant(), now.config().scanning()).thenCompose(report -> {
            if (report.refusal().isPresent()) {
                logRejection(facts, envelope, size, report.refusal().get(), report.facts());
                return CompletableFuture.<Prepared>failedFuture(new ReceptionRefused(report.refusal().get(), "refused by scanning"));
            }
            SigningRequest request = new SigningRequest(view, envelope.sender(), decision.tenant(), decision.signingDomains(),
                    decision.selector());
            return signers.sign(request, now.config().reception())
                    .thenApply(signatures -> new Prepared(concat(signatures, report.headers()), report.facts(), decision));
        });
    }

    /** A rule named a pool the configuration does not have: a mistake in the rules, so the message waits (451). */
    private static Optional<SmtpReply> unknownPool(Live now, ReceptionDecision decision) {
        if (decision.pool().isPresent() && !now.config().delivery().pools().containsKey(decision.pool().get())) {
            log.atWarn().addKeyValue("pool", decision.pool().get()).log("rule chose an undefined egress pool; message deferred");
            return Optional.of(RULE_FAILED);
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof RuleException)) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /** What rules, scanning and signing add: header fields to prepend, facts for the Reception record, the classification. */
    private record Prepared(List<HeaderField> headers, Map<String, String> scanFacts, ReceptionDecision decision) {
    }

    private void logRejection(ReceptionFacts facts, Envelope envelope, long size, SmtpReply reply, Map<String, String> meta) {
        SpoolId id = ids.next();
        Instant now = clock.instant();
        for (Recipient recipient : envelope.recipients()) {
            records.append(LogRecord.rejection(id, envelope.sender(), recipient.address(), facts, size, reply, meta, now));
        }
    }

    private static List<HeaderField> concat(List<HeaderField> first, List<HeaderField> second) {
        List<HeaderField> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Prepends the Received header, signatures and scan headers, and spools the message. Takes ownership of {@code content}. */
    private CompletableFuture<SpoolId> store(String hostname, ReceptionFacts facts, Envelope envelope, ByteBuf content,
                                             ByteBufAllocator alloc, Map<String, String> captured, Prepared prepared) {
        SpoolId id = ids.next();
        Instant now = clock.instant();
        Optional<String> single = envelope.recipients().size() == 1
                ? Optional.of(envelope.recipients().get(0).address().toString()) : Optional.empty();
        ByteBuf header = alloc.buffer(512);
        header.writeCharSequence(ReceivedHeader.format(hostname, facts, id, single, now), StandardCharsets.UTF_8);
        prepared.headers().forEach(field -> header.writeBytes(field.raw()));
        CompositeByteBuf body = alloc.compositeBuffer(2);
        body.addComponent(true, header);
        body.addComponent(true, content);
        ReceptionDecision decision = prepared.decision();
        MessageMeta meta = new MessageMeta(id, now, envelope.sender(), envelope.recipients(), envelope.parameters(), facts,
                decision.tenant(), decision.campaign(), 0, now, body.readableBytes(), Optional.empty(), captured,
                decision.pool(), envelope.metadata());
        return spool.store(meta, body).thenApply(stored -> {
            log.atDebug().addKeyValue("spool_id", id).addKeyValue("remote_ip", facts.peerAddress())
                    .addKeyValue("size", meta.bodySize()).addKeyValue("recipients", envelope.recipients().size())
                    .log("message spooled");
            for (Recipient recipient : meta.recipients()) {
                QueueName queue = new QueueName(meta.campaign(), meta.tenant(), recipient.address().domain());
                records.append(LogRecord.reception(meta, recipient.address(), queue.toString()).withMeta(prepared.scanFacts()));
            }
            queues.enqueue(meta);
            metrics.received(meta.tenant());
            return id;
        });
    }

    /** The header fields {@code [log] headers} names, for every record of the message. */
    private Map<String, String> captured(ContentView view) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : logHeaders) {
            view.firstValue(name).ifPresent(value -> out.put(name, value));
        }
        return out;
    }

    /** A tenant or campaign name from a header, if it makes a valid queue-name part. */
    private static Optional<String> label(ContentView view, String header) {
        return view.firstValue(header).filter(v -> v.length() <= 128 && v.chars().noneMatch(c -> c == ':' || c == '@' || c <= ' '));
    }
}
