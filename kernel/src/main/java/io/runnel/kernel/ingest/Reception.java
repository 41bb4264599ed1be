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
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.spool.Spool;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
    private final Signers signers;
    private final ReceptionConfig config;

    @Inject
    Reception(Spool spool, SpoolId.Factory ids, Clock clock, QueueManager queues, DeliveryLog records, Signers signers,
              RunnelConfig config) {
        this.spool = spool;
        this.ids = ids;
        this.clock = clock;
        this.queues = queues;
        this.records = records;
        this.signers = signers;
        this.config = config.reception();
    }

    /** The envelope of one SMTP transaction. */
    public record Envelope(EmailAddress sender, MailParameters parameters, List<Recipient> recipients) {
        public Envelope {
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * Stores the message. Takes ownership of {@code content} (the message as the client sent it, unstuffed).
     *
     * @param hostname the receiving listener's host name, for the Received header
     */
    public CompletableFuture<SpoolId> receive(String hostname, ReceptionFacts facts, Envelope envelope, ByteBuf content,
                                              ByteBufAllocator alloc) {
        Optional<String> tenant;
        Optional<String> campaign;
        CompletableFuture<List<HeaderField>> signatures;
        try {
            tenant = label(content, config.tenantHeader());
            campaign = label(content, config.campaignHeader());
            signatures = signers.sign(new SigningRequest(new ContentView(content), envelope.sender(), tenant, List.of()));
        } catch (RuntimeException e) {
            content.release();
            throw e;
        }
        return signatures.whenComplete((headers, failure) -> {
            if (failure != null) {
                content.release();
            }
        }).thenCompose(headers -> store(hostname, facts, envelope, content, alloc, tenant, campaign, headers));
    }

    /** Prepends the Received header and the signatures, and spools the message. Takes ownership of {@code content}. */
    private CompletableFuture<SpoolId> store(String hostname, ReceptionFacts facts, Envelope envelope, ByteBuf content,
                                             ByteBufAllocator alloc, Optional<String> tenant, Optional<String> campaign,
                                             List<HeaderField> signatures) {
        SpoolId id = ids.next();
        Instant now = clock.instant();
        Optional<String> single = envelope.recipients().size() == 1
                ? Optional.of(envelope.recipients().get(0).address().toString()) : Optional.empty();
        ByteBuf header = alloc.buffer(512);
        header.writeCharSequence(ReceivedHeader.format(hostname, facts, id, single, now), StandardCharsets.UTF_8);
        signatures.forEach(field -> header.writeBytes(field.raw()));
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
                records.append(LogRecord.reception(meta, recipient.address(), queue.toString()));
            }
            queues.enqueue(meta);
            return id;
        });
    }

    /** A tenant or campaign name from a header, if it makes a valid queue-name part. */
    private static Optional<String> label(ByteBuf content, String header) {
        return HeaderValues.first(content, header).filter(v -> v.length() <= 128 && v.chars().noneMatch(c -> c == ':' || c == '@' || c <= ' '));
    }
}
