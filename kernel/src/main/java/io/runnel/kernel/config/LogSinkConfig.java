package io.runnel.kernel.config;

import java.time.Duration;
import java.util.Objects;

/**
 * One log sink's {@code [log.sink.<id>]} settings: how the kernel feeds it from the journal.
 *
 * @param start      where a sink seen for the first time (no cursor yet) starts reading
 * @param batchSize  most records per publish call (the sink's own {@code maxBatchSize()} caps it further)
 * @param minBackoff wait after a first failed batch; doubles with each further failure
 * @param maxBackoff the cap of that wait
 */
public record LogSinkConfig(Start start, int batchSize, Duration minBackoff, Duration maxBackoff) {

    public static final LogSinkConfig DEFAULTS =
            new LogSinkConfig(Start.JOURNAL, 500, Duration.ofSeconds(1), Duration.ofMinutes(5));

    /** Where a new sink's cursor begins. */
    public enum Start {
        /** The oldest record still in the journal: a sink added later still gets everything kept. */
        JOURNAL,
        /** The end of the journal when the sink is first seen: only records from then on. */
        NOW
    }

    public LogSinkConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be at least 1");
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoffs must be > 0 and min_backoff <= max_backoff");
        }
    }
}
