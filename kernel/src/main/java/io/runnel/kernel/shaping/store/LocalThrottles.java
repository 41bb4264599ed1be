package io.runnel.kernel.shaping.store;

import io.runnel.kernel.shaping.Gcra;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throttles kept in this node's memory, one {@link Gcra} per key. A limiter that has been idle for its burst window
 * is in the same state as a new one, so such keys are dropped (checked after as many new keys as the last check
 * kept, at least {@value #SWEEP_EVERY}):
 * memory follows the keys in use, not every tenant and domain ever seen. {@code maxKeys} caps it even when more
 * keys are busy at once; past the cap, busy limiters are dropped too, which lets each dropped key burst once more.
 */
public final class LocalThrottles implements ThrottleStore {

    /** About 200 bytes a key: half a million keys stay near 100 MiB. */
    public static final int DEFAULT_MAX_KEYS = 500_000;
    static final int SWEEP_EVERY = 4096;

    private static final Logger log = LoggerFactory.getLogger(LocalThrottles.class);

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final int maxKeys;
    private final AtomicInteger newSinceSweep = new AtomicInteger();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicBoolean sweepDue = new AtomicBoolean();
    private volatile int keptBySweep;

    public LocalThrottles() {
        this(DEFAULT_MAX_KEYS);
    }

    public LocalThrottles(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1");
        }
        this.maxKeys = maxKeys;
    }

    @Override
    public Duration tryAcquire(String key, ThrottleSpec spec, Instant now) {
        Duration[] wait = new Duration[1];
        // compute() makes the check-and-take atomic per key and safe against a sweep dropping the slot meanwhile
        slots.compute(key, (k, slot) -> {
            Slot live = slot != null && slot.gcra.spec().equals(spec) ? slot : fresh(spec);
            wait[0] = live.gcra.tryAcquire(now);
            if (wait[0].isZero()) {
                live.lastTaken = now;
            }
            return live;
        });
        if (sweepDue.compareAndSet(true, false)) {
            sweep(now);
        }
        return wait[0];
    }

    @Override
    public Duration waitAt(String key, ThrottleSpec spec, Instant now) {
        Slot slot = slots.get(key);
        return slot == null || !slot.gcra.spec().equals(spec) ? Duration.ZERO : slot.gcra.waitAt(now);
    }

    /** Keys held now. */
    public int size() {
        return slots.size();
    }

    /** Busy limiters dropped because more than {@code maxKeys} were in use at once. */
    public long evicted() {
        return evicted.get();
    }

    private Slot fresh(ThrottleSpec spec) {
        // a sweep visits every key, so it waits for as many new keys as the last one kept: constant cost per key
        if (newSinceSweep.incrementAndGet() >= Math.max(SWEEP_EVERY, keptBySweep) || slots.size() >= maxKeys) {
            newSinceSweep.set(0);
            sweepDue.set(true); // not here: this runs inside the map's lock
        }
        return new Slot(new Gcra(spec));
    }

    /** Drops idle limiters, then, past the cap, any. Runs on a caller's thread outside any map lock. */
    private void sweep(Instant now) {
        for (String key : slots.keySet()) {
            slots.computeIfPresent(key, (k, slot) -> slot.idleAt(now) ? null : slot);
        }
        Iterator<String> over = slots.keySet().iterator();
        long dropped = 0;
        while (slots.size() > maxKeys * 9L / 10 && over.hasNext()) {
            over.next();
            over.remove();
            dropped++;
        }
        keptBySweep = slots.size();
        if (dropped > 0 && evicted.getAndAdd(dropped) == 0) {
            log.atWarn().addKeyValue("max_keys", maxKeys)
                    .log("more throttle keys busy at once than the cap; dropping some lets them burst again");
        }
    }

    /** A limiter and the last time it let a cell through. */
    private static final class Slot {

        final Gcra gcra;
        /** Written under the map's lock for this key; read by the sweep under the same lock. */
        Instant lastTaken = Instant.MIN;

        Slot(Gcra gcra) {
            this.gcra = gcra;
        }

        /**
         * After a cell is taken the theoretical arrival time is at most max_burst intervals ahead, so once that much
         * time has passed the limiter is exactly as a new one would be.
         */
        boolean idleAt(Instant now) {
            ThrottleSpec spec = gcra.spec();
            Duration window = spec.interval().multipliedBy(spec.maxBurst());
            return lastTaken.equals(Instant.MIN) || Duration.between(lastTaken, now).compareTo(window) >= 0;
        }
    }
}
