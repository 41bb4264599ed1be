package io.runnel.kernel.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.runnel.api.dns.DnsLookupException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/** DNS queries sent to the name servers (cache hits are not queries), by record type and outcome. */
@Singleton
public final class DnsMetrics {

    private final MeterRegistry registry;
    private final MeterCache<MeterCache<Timer>> timers;

    @Inject
    public DnsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.timers = new MeterCache<>(type -> new MeterCache<>(outcome -> Timer.builder("runnel.dns.query.duration")
                .description("Time from sending a DNS query to its answer or failure, retries on the next server included")
                .tag("type", type).tag("outcome", outcome)
                .serviceLevelObjectives(LatencyBuckets.millisToSeconds())
                .register(registry)));
    }

    /** For a resolver built outside the daemon: timings go nowhere. */
    public static DnsMetrics unobserved() {
        return new DnsMetrics(new CompositeMeterRegistry());
    }

    /**
     * Starts timing a {@code type} query (MX, A, AAAA, TXT); pass the result to the query's completion. The outcome
     * is "answer" for any answer (NXDOMAIN and empty ones too), else the lookup failure's kind.
     */
    public BiConsumer<Object, Throwable> query(String type) {
        Timer.Sample sample = Timer.start(registry);
        return (answer, failure) -> sample.stop(timers.get(type).get(outcome(failure)));
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "answer";
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof DnsLookupException e ? e.kind().name().toLowerCase(Locale.ROOT) : "error";
    }
}
