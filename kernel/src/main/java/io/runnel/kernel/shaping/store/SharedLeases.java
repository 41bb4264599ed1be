package io.runnel.kernel.shaping.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection limits shared through Redis while it answers, this node's own while it does not. The node remembers
 * the Redis leases it holds, renews them ({@link #renewAll()}, on a timer) and counts them against the limit when it
 * has to decide alone; leases taken while Redis was down count in Redis once it is back, so neither side forgets
 * a connection that is open.
 */
public final class SharedLeases implements ConnectionLeases {

    private final RedisLeases redis;
    private final LocalLeases local;
    private final RedisHealth health;
    private final String node;
    private final AtomicLong sequence = new AtomicLong();
    /** Redis lease ids this node holds, by key; a key leaves the map with its last lease. */
    private final Map<String, Set<String>> held = new ConcurrentHashMap<>();

    /** @param node this node's id, unique among the nodes sharing the Redis (lease ids start with it) */
    public SharedLeases(RedisLeases redis, LocalLeases local, RedisHealth health, String node) {
        this.redis = redis;
        this.local = local;
        this.health = health;
        this.node = node;
    }

    @Override
    public Optional<Lease> tryAcquire(String key, int limit) {
        if (health.up()) {
            String id = node + ":" + sequence.incrementAndGet();
            try {
                if (!redis.tryAcquire(key, id, limit, local.held(key))) {
                    return Optional.empty();
                }
                // remembered only once taken: renewal adds back what it is given, and must never add a refused lease
                remember(key, id);
                return Optional.of(new RedisLease(key, id));
            } catch (RedisUnavailableException e) {
                health.failed(e);
            }
        }
        health.fellBack();
        return local.tryAcquire(key, limit - heldInRedis(key));
    }

    /** Extends every Redis lease this node holds; stops at the first failure (Redis is then down). */
    public void renewAll() {
        if (!health.up()) {
            return;
        }
        for (String key : held.keySet()) {
            List<String> ids = new ArrayList<>();
            held.computeIfPresent(key, (k, set) -> {
                ids.addAll(set);
                return set;
            });
            if (ids.isEmpty()) {
                continue;
            }
            try {
                redis.renew(key, ids);
            } catch (RedisUnavailableException e) {
                health.failed(e);
                return;
            }
        }
    }

    /** Releases every Redis lease still held (at shutdown), so other nodes need not wait out the ttl. */
    public void releaseAll() {
        for (String key : List.copyOf(held.keySet())) {
            List<String> ids = new ArrayList<>();
            held.computeIfPresent(key, (k, set) -> {
                ids.addAll(set);
                return null;
            });
            for (String id : ids) {
                release(key, id);
            }
        }
    }

    /** Redis leases this node holds for {@code key}. */
    int heldInRedis(String key) {
        int[] count = {0};
        held.computeIfPresent(key, (k, set) -> {
            count[0] = set.size();
            return set;
        });
        return count[0];
    }

    private void remember(String key, String id) {
        held.compute(key, (k, set) -> {
            Set<String> ids = set == null ? new HashSet<>() : set;
            ids.add(id);
            return ids;
        });
    }

    private void forget(String key, String id) {
        held.computeIfPresent(key, (k, set) -> set.remove(id) && set.isEmpty() ? null : set);
    }

    private void release(String key, String id) {
        if (!health.up()) {
            return; // the lease expires in Redis after the ttl
        }
        try {
            redis.release(key, id);
        } catch (RedisUnavailableException e) {
            health.failed(e);
        }
    }

    private final class RedisLease implements Lease {

        private final String key;
        private final String id;
        private final AtomicBoolean released = new AtomicBoolean();

        RedisLease(String key, String id) {
            this.key = key;
            this.id = id;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                forget(key, id);
                SharedLeases.this.release(key, id);
            }
        }
    }
}
