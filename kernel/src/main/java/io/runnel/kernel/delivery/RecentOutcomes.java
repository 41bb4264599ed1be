package io.runnel.kernel.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Deliveries and transient failures of one ready queue over the last minute, in six ten-second buckets, for a
 * {@code ShapingStrategy} to judge the destination by. The caller passes the time. Thread-safe.
 */
final class RecentOutcomes {

    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int BUCKETS = 6;
    private static final long BUCKET_MILLIS = WINDOW.toMillis() / BUCKETS;

    private final long[] delivered = new long[BUCKETS];
    private final long[] transient_ = new long[BUCKETS];
    /** The bucket number (time / bucket length) each slot holds counts for. */
    private final long[] slotOf = new long[BUCKETS];

    synchronized void delivered(Instant now) {
        delivered[slot(now)]++;
    }

    synchronized void transientFailure(Instant now) {
        transient_[slot(now)]++;
    }

    synchronized int deliveries(Instant now) {
        return sum(delivered, now);
    }

    synchronized int transientFailures(Instant now) {
        return sum(transient_, now);
    }

    private int slot(Instant now) {
        long bucket = now.toEpochMilli() / BUCKET_MILLIS;
        int slot = (int) Math.floorMod(bucket, BUCKETS);
        if (slotOf[slot] != bucket) {
            slotOf[slot] = bucket;
            delivered[slot] = 0;
            transient_[slot] = 0;
        }
        return slot;
    }

    private int sum(long[] counts, Instant now) {
        long bucket = now.toEpochMilli() / BUCKET_MILLIS;
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucket - slotOf[i] < BUCKETS) {
                total += counts[i];
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }
}
