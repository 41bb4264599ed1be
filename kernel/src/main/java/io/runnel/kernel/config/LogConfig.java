package io.runnel.kernel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code [log]} section: where the delivery log goes, when its files roll, how much it holds in memory and on
 * disk, and how each log sink is fed from it.
 *
 * @param path          folder of the segment files
 * @param segmentSize   a segment is closed before it would grow past this many bytes
 * @param segmentAge    a segment is closed once it is this old, so shippers can pick it up
 * @param queueCapacity records waiting in memory for the writer; beyond it records are dropped (and counted)
 * @param retention     closed segments older than this are deleted once every sink has shipped them
 * @param maxSize       the journal's size bound: shipped segments go early to stay under it, unshipped ones never
 * @param sinks         per-sink settings by sink id ({@code [log.sink.<id>]}); sinks not listed use
 *                      {@link LogSinkConfig#DEFAULTS}
 */
public record LogConfig(Path path, long segmentSize, Duration segmentAge, int queueCapacity, Duration retention,
                        long maxSize, Map<String, LogSinkConfig> sinks) {

    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final long DEFAULT_MAX_SIZE = 20L << 30;

    public LogConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(segmentAge, "segmentAge");
        Objects.requireNonNull(retention, "retention");
        sinks = Map.copyOf(sinks);
        if (segmentSize < 1024) {
            throw new IllegalArgumentException("segment_size must be at least 1KiB");
        }
        if (segmentAge.isNegative() || segmentAge.isZero()) {
            throw new IllegalArgumentException("segment_age must be greater than 0");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue_capacity must be at least 1");
        }
        if (retention.isNegative() || maxSize < 1) {
            throw new IllegalArgumentException("retention and max_size must be positive");
        }
    }

    /** Rolling settings only; everything else at its default. */
    public LogConfig(Path path, long segmentSize, Duration segmentAge) {
        this(path, segmentSize, segmentAge, DEFAULT_QUEUE_CAPACITY, DEFAULT_RETENTION, DEFAULT_MAX_SIZE, Map.of());
    }

    /** The settings of sink {@code id}. */
    public LogSinkConfig sink(String id) {
        return sinks.getOrDefault(id, LogSinkConfig.DEFAULTS);
    }
}
