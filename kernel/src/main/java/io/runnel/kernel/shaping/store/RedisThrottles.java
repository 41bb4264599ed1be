package io.runnel.kernel.shaping.store;

import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.util.List;

/**
 * GCRA throttles kept in Redis, shared by every node using the same Redis and key prefix. One atomic script call
 * per check; the limiter's time is Redis's clock. Keys expire once idle, like {@link LocalThrottles}' sweep.
 */
public final class RedisThrottles {

    private static final LuaScript GCRA = LuaScript.load("gcra.lua");
    /** Caps the tolerance so (max_burst - 1) intervals stays a number Lua holds exactly (about 31 years). */
    private static final long MAX_TOLERANCE_MICROS = 1L << 50;

    private final RedisLink link;
    private final String prefix;

    /** @param keyPrefix put before every key, then {@code throttle:} */
    public RedisThrottles(RedisLink link, String keyPrefix) {
        this.link = link;
        this.prefix = keyPrefix + "throttle:";
    }

    /** As {@link ThrottleStore#tryAcquire}, on Redis's clock. */
    public Duration tryAcquire(String key, ThrottleSpec spec) throws RedisUnavailableException {
        return call(key, spec, "1");
    }

    /** As {@link ThrottleStore#waitAt}, on Redis's clock. */
    public Duration waitAt(String key, ThrottleSpec spec) throws RedisUnavailableException {
        return call(key, spec, "0");
    }

    private Duration call(String key, ThrottleSpec spec, String take) throws RedisUnavailableException {
        // microseconds, fractions kept: 3/s is 333333.33us, and rounding it would drift the rate
        double interval = spec.interval().toNanos() / 1000.0;
        double tolerance = Math.min(MAX_TOLERANCE_MICROS, interval * (spec.maxBurst() - 1));
        Object micros = link.eval(GCRA, List.of(prefix + key), List.of(Double.toString(interval), Double.toString(tolerance), take));
        if (!(micros instanceof Long wait)) {
            throw new IllegalStateException("gcra.lua answered " + micros);
        }
        return Duration.ofNanos(Math.multiplyExact(wait, 1000L));
    }
}
