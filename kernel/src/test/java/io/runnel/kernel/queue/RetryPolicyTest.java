package io.runnel.kernel.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.config.QueueSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final QueueSettings SETTINGS =
            new QueueSettings(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(2), Optional.empty());

    /** Always the smallest jitter, so the schedule itself is visible. */
    private static final RandomGenerator NO_JITTER = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return 0;
        }
    };

    @Test
    void delayDoublesFromRetryIntervalUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(NO_JITTER);
        assertThat(policy.delayAfter(1, SETTINGS)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delayAfter(2, SETTINGS)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.delayAfter(3, SETTINGS)).isEqualTo(Duration.ofMinutes(20));
        assertThat(policy.delayAfter(4, SETTINGS)).isEqualTo(Duration.ofMinutes(40));
        assertThat(policy.delayAfter(5, SETTINGS)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.delayAfter(50, SETTINGS)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aFailureThatIsNoAttemptBacksOffByHowLongTheMessageHasWaited() {
        RetryPolicy policy = new RetryPolicy(NO_JITTER);
        Instant received = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(policy.delayWithoutAttempt(0, received, received.plusSeconds(10), SETTINGS)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delayWithoutAttempt(0, received, received.plus(Duration.ofMinutes(5)), SETTINGS))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delayWithoutAttempt(0, received, received.plus(Duration.ofMinutes(10)), SETTINGS))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.delayWithoutAttempt(0, received, received.plus(Duration.ofMinutes(20)), SETTINGS))
                .isEqualTo(Duration.ofMinutes(20));
        assertThat(policy.delayWithoutAttempt(0, received, received.plus(Duration.ofHours(7)), SETTINGS))
                .isEqualTo(Duration.ofHours(1));
        // never sooner than the attempts already counted call for
        assertThat(policy.delayWithoutAttempt(3, received, received.plus(Duration.ofMinutes(6)), SETTINGS))
                .isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void jitterAddsAtMostATenth() {
        RetryPolicy policy = new RetryPolicy(RandomGenerator.of("L64X128MixRandom"));
        for (int i = 0; i < 1000; i++) {
            Duration d = policy.delayAfter(2, SETTINGS);
            assertThat(d).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(11));
        }
    }

    @Test
    void expiresOnlyOnceMaxAgeHasPassed() {
        RetryPolicy policy = new RetryPolicy(NO_JITTER);
        Instant received = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(policy.expired(received, received.plus(Duration.ofDays(2)).minusMillis(1), SETTINGS)).isFalse();
        assertThat(policy.expired(received, received.plus(Duration.ofDays(2)), SETTINGS)).isTrue();
    }
}
