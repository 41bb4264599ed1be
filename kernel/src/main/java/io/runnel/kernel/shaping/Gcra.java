package io.runnel.kernel.shaping;

import java.time.Duration;
import java.time.Instant;

/**
 * A local GCRA (generic cell rate algorithm) limiter for one {@link ThrottleSpec}: one "theoretical arrival time"
 * is all the state. The caller passes the time (from its injected Clock), so tests drive it without waiting.
 * Thread-safe.
 */
public final class Gcra {

    private final ThrottleSpec spec;
    private final long intervalNanos;
    /** How far ahead of now the theoretical arrival time may run: room for a burst of max_burst cells. */
    private final long toleranceNanos;
    private Instant tat = Instant.MIN;

    public Gcra(ThrottleSpec spec) {
        this.spec = spec;
        this.intervalNanos = Math.max(1, spec.interval().toNanos());
        this.toleranceNanos = Math.multiplyHigh(intervalNanos, spec.maxBurst() - 1) == 0
                ? intervalNanos * (spec.maxBurst() - 1) : Long.MAX_VALUE;
    }

    public ThrottleSpec spec() {
        return spec;
    }

    /**
     * Takes one cell if the rate allows it now: {@link Duration#ZERO} when allowed (and counted), otherwise how long
     * until a cell is allowed (nothing counted).
     */
    public synchronized Duration tryAcquire(Instant now) {
        Duration wait = waitAt(now);
        if (wait.isZero()) {
            // idle time never banks more than the burst: the arrival time starts from now at the earliest
            tat = (tat.isAfter(now) ? tat : now).plusNanos(intervalNanos);
        }
        return wait;
    }

    /** How long until a cell is allowed ({@link Duration#ZERO}: now), without taking one. */
    public synchronized Duration waitAt(Instant now) {
        long ahead = tat.isAfter(now) ? Duration.between(now, tat).toNanos() : 0;
        return ahead > toleranceNanos ? Duration.ofNanos(ahead - toleranceNanos) : Duration.ZERO;
    }
}
