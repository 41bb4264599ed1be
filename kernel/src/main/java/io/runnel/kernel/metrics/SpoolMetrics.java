package io.runnel.kernel.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/** Group commits of the spool writer: how long each took (fsync included) and how many writes it carried. */
@Singleton
public final class SpoolMetrics {

    private final Timer commits;
    private final DistributionSummary batches;

    @Inject
    public SpoolMetrics(MeterRegistry registry) {
        this.commits = Timer.builder("runnel.spool.commit.duration")
                .description("Time of one spool write transaction, commit and fsync included")
                .serviceLevelObjectives(LatencyBuckets.millisToSeconds())
                .register(registry);
        this.batches = DistributionSummary.builder("runnel.spool.commit.batch.size").baseUnit("writes")
                .description("Writes (stores, updates, removals) committed by one spool transaction")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
                .register(registry);
    }

    /** For a spool opened outside the daemon (the spool commands): counts go nowhere. */
    public static SpoolMetrics unobserved() {
        return new SpoolMetrics(new CompositeMeterRegistry());
    }

    /** One write transaction of {@code writes} writes that took {@code nanos}, committed or not. */
    public void commit(int writes, long nanos) {
        commits.record(nanos, TimeUnit.NANOSECONDS);
        batches.record(writes);
    }
}
