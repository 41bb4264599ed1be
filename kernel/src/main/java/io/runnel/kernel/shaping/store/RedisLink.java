package io.runnel.kernel.shaping.store;

import io.runnel.kernel.config.RedisConfig;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A pool of connections to one Redis, every call bounded by the timeout (connect, read and waiting for a pooled
 * connection alike). Creating it opens nothing; the first call connects. Any failure, including Redis refusing a
 * command while it loads its data or runs out of memory, is a {@link RedisUnavailableException}.
 */
public final class RedisLink implements AutoCloseable {

    /** Delivery threads that may call at once before one waits for a free connection. */
    static final int MAX_CONNECTIONS = 32;

    private final JedisPooled jedis;
    private final String endpoint;

    public RedisLink(RedisConfig.Endpoint endpoint, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis)
                .database(endpoint.database()).ssl(endpoint.tls())
                .clientName("runnel").clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        endpoint.user().ifPresent(client::user);
        endpoint.password().ifPresent(client::password);
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(MAX_CONNECTIONS);
        pool.setMaxIdle(MAX_CONNECTIONS);
        pool.setMinIdle(0);
        pool.setMaxWait(timeout);
        pool.setJmxEnabled(false);
        this.jedis = new JedisPooled(new HostAndPort(endpoint.host(), endpoint.port()), client.build(), pool);
        this.endpoint = endpoint.toString();
    }

    /** Runs {@code script}: by its SHA, and with its source when Redis answers NOSCRIPT (after a restart or flush). */
    Object eval(LuaScript script, List<String> keys, List<String> args) throws RedisUnavailableException {
        return call(script.name(), () -> {
            try {
                return jedis.evalsha(script.sha1(), keys, args);
            } catch (JedisNoScriptException e) {
                return jedis.eval(script.source(), keys, args);
            }
        });
    }

    void zrem(String key, String member) throws RedisUnavailableException {
        call("ZREM", () -> jedis.zrem(key, member));
    }

    void zadd(String key, double score, String member) throws RedisUnavailableException {
        call("ZADD", () -> jedis.zadd(key, score, member));
    }

    /** Drops the members scored at most {@code max}, then returns those scored above it. */
    List<String> zdropAndRange(String key, double max) throws RedisUnavailableException {
        return call("ZRANGEBYSCORE", () -> {
            jedis.zremrangeByScore(key, Double.NEGATIVE_INFINITY, max);
            return jedis.zrangeByScore(key, "(" + (long) max, "+inf");
        });
    }

    /** Checks Redis answers. */
    void ping() throws RedisUnavailableException {
        call("PING", jedis::ping);
    }

    /**
     * Runs one command. A pooled connection found broken (Redis restarted, or something on the way dropped it) is
     * not an outage: the idle connections, likely broken alike, are dropped and the command runs once more on a new
     * one. A timeout is not retried, so a hung Redis costs one timeout.
     */
    private <T> T call(String what, Supplier<T> command) throws RedisUnavailableException {
        try {
            try {
                return command.get();
            } catch (JedisConnectionException e) {
                if (timedOut(e)) {
                    throw e;
                }
                jedis.getPool().clear();
                return command.get();
            }
        } catch (JedisException | IllegalStateException e) {
            throw unavailable(what, e);
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private RedisUnavailableException unavailable(String what, Exception e) {
        return new RedisUnavailableException(what + " on " + endpoint + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        jedis.close();
    }

    @Override
    public String toString() {
        return endpoint;
    }
}
