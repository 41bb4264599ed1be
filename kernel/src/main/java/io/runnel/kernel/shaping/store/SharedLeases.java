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
 * every lease it holds, however taken, and renews them all in Redis ({@link #renewAll()}, on a timer and as soon as
 * Redis is back): leases taken during an outage then count for every node, and a Redis that restarted empty learns
 * the connections that are open. While Redis is down the node admits up to the limit counting its own leases.
 */
public final class SharedLeases implements ConnectionLeases {

    private final RedisLeases redis;
    private final RedisHealth health;
    private final String node;
    private final AtomicLong sequence = new AtomicLong();
    /** Lease ids this node holds, by key; a key leaves the map with its last lease. */
    private final Map<String, Set<String>> held = new ConcurrentHashMap<>();

    /** @param node this node's id, unique among the nodes sharing the Redis (lease ids start with it) */
    public SharedLeases(RedisLeases redis, RedisHealth health, String node) {
        this.redis = redis;
        this.health = health;
        this.node = node;
    }

    @Override
    public Optional<Lease> tryAcquire(String key, int limit) {
        String id = node + ":" + sequence.incrementAndGet();
        if (health.up()) {
            try {
                if (!redis.tryAcquire(key, id, limit)) {
                    return Optional.empty();
                }
                // remembered only once taken: renewal adds back what it is given, and must never add a refused lease
                held.compute(key, (k, set) -> with(set, id));
                return Optional.of(new SharedLease(key, id));
            } catch (RedisUnavailableException e) {
                health.failed(e);
            }
        }
        health.fellBack();
        boolean[] taken = {false};
        held.compute(key, (k, set) -> {
            taken[0] = set == null || set.size() < limit;
            return taken[0] ? with(set, id) : set;
        });
        return taken[0] ? Optional.of(new SharedLease(key, id)) : Optional.empty();
    }

    /** Extends every lease this node holds, when Redis is up. */
    public void renewAll() {
        if (health.up()) {
            try {
                renewAllOrThrow();
            } catch (RedisUnavailableException e) {
                health.failed(e);
            }
        }
    }

    /** Writes every lease this node holds to Redis with a fresh ttl; stops at the first failure. */
    void renewAllOrThrow() throws RedisUnavailableException {
        for (String key : held.keySet()) {
            List<String> ids = new ArrayList<>();
            held.computeIfPresent(key, (k, set) -> {
                ids.addAll(set);
                return set;
            });
            if (!ids.isEmpty()) {
                redis.renew(key, ids);
            }
        }
    }

    /** Releases every lease still held (at shutdown), so other nodes need not wait out the ttl. */
    public void releaseAll() {
        for (String key : List.copyOf(held.keySet())) {
            List<String> ids = new ArrayList<>();
            held.computeIfPresent(key, (k, set) -> {
                ids.addAll(set);
                return null;
            });
            ids.forEach(id -> release(key, id));
        }
    }

    private static Set<String> with(Set<String> set, String id) {
        Set<String> ids = set == null ? new HashSet<>() : set;
        ids.add(id);
        return ids;
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

    private final class SharedLease implements Lease {

        private final String key;
        private final String id;
        private final AtomicBoolean released = new AtomicBoolean();

        SharedLease(String key, String id) {
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
                held.computeIfPresent(key, (k, set) -> set.remove(id) && set.isEmpty() ? null : set);
                SharedLeases.this.release(key, id);
            }
        }
    }
}
