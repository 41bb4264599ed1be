package io.runnel.kernel.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Retry and expiry of one scheduled queue (KumoMTA's queue settings).
 *
 * @param retryInterval    wait after the first failed attempt; doubles with each further attempt
 * @param maxRetryInterval the longest wait between two attempts
 * @param maxAge           how long a message may stay before it expires and bounces
 * @param delayWarning     when set, the sender is told (a "delayed" DSN) once a message has waited this long
 */
public record QueueSettings(Duration retryInterval, Duration maxRetryInterval, Duration maxAge, Optional<Duration> delayWarning) {

    public static final QueueSettings DEFAULTS =
            new QueueSettings(Duration.ofMinutes(20), Duration.ofHours(8), Duration.ofDays(5), Optional.empty());

    public QueueSettings {
        Objects.requireNonNull(delayWarning, "delayWarning");
        if (retryInterval.isZero() || retryInterval.isNegative()) {
            throw new IllegalArgumentException("retry_interval must be positive");
        }
        if (maxRetryInterval.compareTo(retryInterval) < 0) {
            throw new IllegalArgumentException("max_retry_interval must not be shorter than retry_interval");
        }
        if (maxAge.isZero() || maxAge.isNegative()) {
            throw new IllegalArgumentException("max_age must be positive");
        }
    }
}
