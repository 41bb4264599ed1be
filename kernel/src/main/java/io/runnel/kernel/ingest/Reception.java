package io.runnel.kernel.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.mail.HeaderField;
import io.runnel.api.sign.SigningRequest;
import io.runnel.kernel.config.ReceptionConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.log.DeliveryLog;
import io.runnel.kernel.log.LogRecord;
import io.runnel.kernel.metrics.ReceptionMetrics;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.spool.Spool;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in a complete message from any listener: gives it an id, prepends the Received header and stores it in the
 * spool. The returned future completes once the message is durable, which is when the listener may say 250.
 * (Postfix cleanup; later tenant rules, scanners and signers run here, before the commit.)
 */
public final class Reception {

    private static final Logger log = LoggerFactory.getLogger(Reception.class);

    private final Spool spool;
    private final SpoolId.Factory ids;
    private final Clock clock;
    private final QueueManager queues;
    private final DeliveryLog records;
    private final Scanners scanners;
    private final Signers signers;
    private final ReceptionConfig config;
    private final ReceptionMetrics metrics;

    @Inject
    Reception(Spool spool, SpoolId.Factory ids, Clock clock, QueueManager queues, DeliveryLog records, Scanners scanners,
              Signers signers, RunnelConfig config, ReceptionMetrics metrics) {
        this.spool = spool;
        this.ids = ids;
        this.clock = clock;
        this.queues = queues;
        this.records = records;
        this.scanners = scanners;
        this.signers = signers;
        this.config = config.reception();
        this.metrics = metrics;
    }

    /** The envelope of one SMTP transaction. */
    public record Envelope(EmailAddress sender, MailParameters parameters, List<Recipient> recipients) {
        public Envelope {
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * Scans, signs and stores the message; the future completes once it is durable, or exceptionally with
     * {@link ReceptionRefused} when scanning refuses it or a signer fails. Takes ownership of {@code content} (the
     * message as the client sent it, unstuffed).
     *
     * @param hostname the receiving listener's host name, for the Received header
     */
    public CompletableFuture<SpoolId> receive(String hostname, ReceptionFacts facts, Envelope envelope, ByteBuf content,
                                              ByteBufAllocator alloc) {
        Optional<String> tenant;
        Optional<String> campaign;
        ContentView view;
        CompletableFuture<ScanReport> scanned;
        try {
            view = new ContentView(content);
            tenant = label(view, config.tenantHeader());
            campaign = label(view, config.campaignHeader());
            scanned = scanners.scan(view, content.readableBytes(), tenant);
        } catch (RuntimeException e) {
            content.release();
            throw e;
        }
        long size = content.readableBytes();
        return scanned.thenCompose(report -> {
            if (report.refusal().isPresent()) {
                logRejection(facts, envelope, size, report);
                return CompletableFuture.<Prepared>failedFuture(new ReceptionRefused(report.refusal().get(), "refused by scanning"));
            }
            return signers.sign(new SigningRequest(view, envelope.sender(), tenant, List.of()))
                    .thenApply(signatures -> new Prepared(concat(signatures, report.headers()), report.facts()));
        }).whenComplete((prepared, failure) -> {
            if (failure != null) {
                content.release();
            }
        }).thenCompose(prepared -> store(hostname, facts, envelope, content, alloc, tenant, campaign, prepared));
    }

    /** What scanning and signing add: header fields to prepend and facts for the Reception record. */
    private record Prepared(List<HeaderField> headers, Map<String, String> scanFacts) {
    }

    private void logRejection(ReceptionFacts facts, Envelope envelope, long size, ScanReport report) {
        SpoolId id = ids.next();
        Instant now = clock.instant();
        for (Recipient recipient : envelope.recipients()) {
            records.append(LogRecord.rejection(id, envelope.sender(), recipient.address(), facts, size,
                    report.refusal().orElseThrow(), report.facts(), now));
        }
    }

    private static List<HeaderField> concat(List<HeaderField> first, List<HeaderField> second) {
        List<HeaderField> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Prepends the Received header, signatures and scan headers, and spools the message. Takes ownership of {@code content}. */
    private CompletableFuture<SpoolId> store(String hostname, ReceptionFacts facts, Envelope envelope, ByteBuf content,
                                             ByteBufAllocator alloc, Optional<String> tenant, Optional<String> campaign,
                                             Prepared prepared) {
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
        MessageMeta meta = new MessageMeta(id, now, envelope.sender(), envelope.recipients(), envelope.parameters(), facts,
                tenant, campaign, 0, now, body.readableBytes(), Optional.empty());
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

    /** A tenant or campaign name from a header, if it makes a valid queue-name part. */
    private static Optional<String> label(ContentView view, String header) {
        return view.firstValue(header).filter(v -> v.length() <= 128 && v.chars().noneMatch(c -> c == ':' || c == '@' || c <= ' '));
    }
}
