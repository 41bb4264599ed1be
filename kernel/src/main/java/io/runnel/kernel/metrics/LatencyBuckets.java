package io.runnel.kernel.metrics;

import java.time.Duration;

/** Histogram buckets for latencies: few enough to keep series down, spread where the interesting values are. */
final class LatencyBuckets {

    /** Disk, DNS and plugin calls: half a millisecond to ten seconds. */
    static Duration[] millisToSeconds() {
        return millis(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000);
    }

    private LatencyBuckets() {
    }

    private static Duration[] millis(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos((long) (values[i] * 1_000_000));
        }
        return out;
    }
}
