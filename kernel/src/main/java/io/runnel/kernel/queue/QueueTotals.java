package io.runnel.kernel.queue;

import java.time.Instant;
import java.util.Optional;

/**
 * Counts over the messages waiting in one queue, for the queue summary.
 *
 * @param deferred       messages with at least one delivery attempt
 * @param oldestReceived when the longest-waiting message was accepted (empty: no message)
 */
public record QueueTotals(QueueName queue, long messages, long recipients, long bytes, long deferred,
                          Optional<Instant> oldestReceived) {

    /** One message's contribution. */
    public static QueueTotals of(QueueName queue, SummaryFacts facts) {
        return new QueueTotals(queue, 1, facts.recipients(), facts.bytes(), facts.attempts() > 0 ? 1 : 0,
                Optional.of(facts.receivedAt()));
    }
}
