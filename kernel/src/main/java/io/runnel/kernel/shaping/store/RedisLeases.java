package io.runnel.kernel.shaping.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Connection leases kept in Redis: one sorted set per limit, lease ids scored by expiry. A lease lives for the ttl
 * unless renewed, so the connections of a node that died stop counting once the ttl has passed.
 */
public final class RedisLeases {

    private static final LuaScript ACQUIRE = LuaScript.load("lease_acquire.lua");
    private static final LuaScript RENEW = LuaScript.load("lease_renew.lua");

    private final RedisLink link;
    private final String prefix;
    private final String ttlMillis;

    /** @param keyPrefix put before every key, then {@code conn:} */
    public RedisLeases(RedisLink link, String keyPrefix, Duration ttl) {
        this.link = link;
        this.prefix = keyPrefix + "conn:";
        this.ttlMillis = Long.toString(ttl.toMillis());
    }

    /** Takes lease {@code id} on {@code key} when fewer than {@code limit} are held. */
    public boolean tryAcquire(String key, String id, int limit) throws RedisUnavailableException {
        Object taken = link.eval(ACQUIRE, List.of(prefix + key), List.of(Integer.toString(limit), ttlMillis, id));
        return Long.valueOf(1).equals(taken);
    }

    /**
     * Extends leases {@code ids} of {@code key} by the ttl from now, adding back any that expired meanwhile. A lease
     * released while its renewal was on the way may so live one more ttl: counting a closed connection for a while
     * is the safe side.
     */
    public void renew(String key, Collection<String> ids) throws RedisUnavailableException {
        List<String> args = new ArrayList<>(ids.size() + 1);
        args.add(ttlMillis);
        args.addAll(ids);
        link.eval(RENEW, List.of(prefix + key), args);
    }

    public void release(String key, String id) throws RedisUnavailableException {
        link.zrem(prefix + key, id);
    }
}
