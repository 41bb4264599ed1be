package io.runnel.kernel.queue;

import io.runnel.kernel.config.QueueSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to try again: {@code retry_interval} after the first failure, doubling with each further attempt, capped at
 * {@code max_retry_interval}, with up to 10% random jitter so messages deferred together do not come back together.
 * A failure that is no attempt (no connection could be made, a DNS lookup failed) backs off by the time the message
 * has waited so far, as Postfix does, so a dead destination is asked less and less often.
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
        return withJitter(backoff(attempts, settings));
    }

    /**
     * The delay before trying again a message whose latest failure was no attempt: as long as it has waited since
     * {@code receivedAt}, at least what {@code attempts} counted ones call for, at most {@code max_retry_interval}.
     */
    public Duration delayWithoutAttempt(int attempts, Instant receivedAt, Instant now, QueueSettings settings) {
        Duration delay = backoff(Math.max(1, attempts), settings);
        Duration waited = Duration.between(receivedAt, now);
        if (waited.compareTo(delay) > 0) {
            delay = waited.compareTo(settings.maxRetryInterval()) < 0 ? waited : settings.maxRetryInterval();
        }
        return withJitter(delay);
    }

    private static Duration backoff(int attempts, QueueSettings settings) {
        Duration cap = settings.maxRetryInterval();
        Duration delay = settings.retryInterval();
        for (int i = 1; i < attempts && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    private Duration withJitter(Duration delay) {
        return delay.plusMillis(random.nextLong(delay.toMillis() / 10 + 1));
    }

    /** True when a message received at {@code receivedAt} is older than {@code max_age} at {@code now}. */
    public boolean expired(Instant receivedAt, Instant now, QueueSettings settings) {
        return !now.isBefore(receivedAt.plus(settings.maxAge()));
    }
}
