package io.runnel.kernel.queue;

import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import java.time.Instant;

/**
 * What the queue summary counts of one message waiting in one queue, kept with its queue entry so that a summary
 * over a million queued messages never reads the spool.
 *
 * @param recipients pending recipients at the queue's domain
 * @param bytes      the stored body's size
 * @param attempts   delivery attempts so far (more than 0: deferred)
 * @param receivedAt when the message was accepted
 */
public record SummaryFacts(int recipients, long bytes, int attempts, Instant receivedAt) {

    /** The facts of {@code meta} as a message waiting for {@code domain}. */
    public static SummaryFacts of(MessageMeta meta, String domain) {
        int pending = 0;
        for (Recipient r : meta.recipients()) {
            if (r.state() == RecipientState.PENDING && r.address().domain().equalsIgnoreCase(domain)) {
                pending++;
            }
        }
        return new SummaryFacts(pending, meta.bodySize(), meta.attempts(), meta.receivedAt());
    }
}
