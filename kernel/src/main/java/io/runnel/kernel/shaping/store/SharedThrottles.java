package io.runnel.kernel.shaping.store;

import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * Throttles shared through Redis while it answers, this node's own while it does not. {@code local:} specs never
 * leave the node.
 */
public final class SharedThrottles implements ThrottleStore {

    private final RedisThrottles redis;
    private final LocalThrottles local;
    private final RedisHealth health;

    public SharedThrottles(RedisThrottles redis, LocalThrottles local, RedisHealth health) {
        this.redis = redis;
        this.local = local;
        this.health = health;
    }

    @Override
    public Duration tryAcquire(String key, ThrottleSpec spec, Instant now) {
        if (!spec.local() && health.up()) {
            try {
                return redis.tryAcquire(key, spec);
            } catch (RedisUnavailableException e) {
                health.failed(e);
            }
        }
        if (!spec.local()) {
            health.fellBack();
        }
        return local.tryAcquire(key, spec, now);
    }

    @Override
    public Duration waitAt(String key, ThrottleSpec spec, Instant now) {
        if (!spec.local() && health.up()) {
            try {
                return redis.waitAt(key, spec);
            } catch (RedisUnavailableException e) {
                health.failed(e);
            }
        }
        return local.waitAt(key, spec, now);
    }
}
