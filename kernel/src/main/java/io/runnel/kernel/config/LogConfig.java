package io.runnel.kernel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code [log]} section: where the delivery log goes and when its files roll.
 *
 * @param path        folder of the segment files
 * @param segmentSize a segment is closed before it would grow past this many bytes
 * @param segmentAge  a segment is closed once it is this old, so shippers can pick it up
 */
public record LogConfig(Path path, long segmentSize, Duration segmentAge) {

    public LogConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(segmentAge, "segmentAge");
        if (segmentSize < 1024) {
            throw new IllegalArgumentException("segment_size must be at least 1KiB");
        }
        if (segmentAge.isNegative() || segmentAge.isZero()) {
            throw new IllegalArgumentException("segment_age must be greater than 0");
        }
    }
}
