package io.runnel.kernel.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.config.DeliveryConfig;
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
    private final DeliveryConfig delivery;

    @Inject
    public Reception(Spool spool, SpoolId.Factory ids, Clock clock, QueueManager queues, DeliveryLog records,
                     RunnelConfig config) {
        this.spool = spool;
        this.ids = ids;
        this.clock = clock;
        this.queues = queues;
        this.records = records;
        this.delivery = config.delivery();
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
        SpoolId id = ids.next();
        Instant now = clock.instant();
        Optional<String> single = envelope.recipients().size() == 1
                ? Optional.of(envelope.recipients().get(0).address().toString()) : Optional.empty();
        byte[] header = ReceivedHeader.format(hostname, facts, id, single, now).getBytes(StandardCharsets.UTF_8);
        CompositeByteBuf body = alloc.compositeBuffer(2);
        body.addComponent(true, alloc.buffer(header.length).writeBytes(header));
        body.addComponent(true, content);
        MessageMeta meta = new MessageMeta(id, now, envelope.sender(), envelope.recipients(), envelope.parameters(), facts,
                label(content, delivery.tenantHeader()), label(content, delivery.campaignHeader()), 0, now,
                body.readableBytes(), Optional.empty());
        return spool.store(meta, body).thenApply(stored -> {
            for (Recipient recipient : meta.recipients()) {
                QueueName queue = new QueueName(meta.campaign(), meta.tenant(), recipient.address().domain());
                records.append(LogRecord.reception(meta, recipient.address(), queue.toString()));
            }
            queues.enqueue(meta);
            log.atDebug().addKeyValue("spool_id", id).addKeyValue("remote_ip", facts.peerAddress())
                    .addKeyValue("size", meta.bodySize()).addKeyValue("recipients", envelope.recipients().size())
                    .log("message spooled");
            return id;
        });
    }

    /** A tenant or campaign name from a header, if it makes a valid queue-name part. */
    private static Optional<String> label(ByteBuf content, String header) {
        return HeaderValues.first(content, header).filter(v -> v.length() <= 128 && v.chars().noneMatch(c -> c == ':' || c == '@' || c <= ' '));
    }
}
