package io.runnel.kernel.queue;

import io.runnel.kernel.config.QueueSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to try again: {@code retry_interval} after the first failure, doubling with each further attempt, capped at
 * {@code max_retry_interval}, with up to 10% random jitter so messages deferred together do not come back together.
 */
public final class RetryPolicy {

    private final RandomGenerator random;

    public RetryPolicy(RandomGenerator random) {
        this.random = random;
    }

    /** The delay before the next attempt after {@code attempts} failed ones (at least 1). */
    public Duration delayAfter(int attempts, QueueSettings settings) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        Duration base = settings.retryInterval();
        Duration cap = settings.maxRetryInterval();
        Duration delay = base;
        for (int i = 1; i < attempts && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        if (delay.compareTo(cap) > 0) {
            delay = cap;
        }
        long jitter = random.nextLong(delay.toMillis() / 10 + 1);
        return delay.plusMillis(jitter);
    }

    /** When the next attempt is due after {@code attempts} failed ones. */
    public Instant nextAttempt(Instant now, int attempts, QueueSettings settings) {
        return now.plus(delayAfter(attempts, settings));
    }

    /** True when a message received at {@code receivedAt} is older than {@code max_age} at {@code now}. */
    public boolean expired(Instant receivedAt, Instant now, QueueSettings settings) {
        return !now.isBefore(receivedAt.plus(settings.maxAge()));
    }
}
