package io.runnel.kernel.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [redis]} section: the Redis every node of a cluster points at to share throttles and connection limits.
 * Without {@code url}, shaping runs on this node only.
 *
 * @param endpoint      where Redis is; empty: not configured
 * @param keyPrefix     put before every key Runnel writes, so several clusters (or other programs) can share a Redis
 * @param timeout       the longest one Redis call may take before the call is answered locally instead
 * @param leaseTtl      how long a connection lease lives unless its holder renews it (every third of it)
 * @param probeInterval while Redis is unreachable, how often it is tried again
 */
public record RedisConfig(Optional<Endpoint> endpoint, String keyPrefix, Duration timeout, Duration leaseTtl,
                          Duration probeInterval) {

    public static final String DEFAULT_KEY_PREFIX = "runnel:";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(5);

    public RedisConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        for (Duration d : new Duration[] {timeout, leaseTtl, probeInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("redis timeouts and intervals must be positive");
            }
        }
    }

    /** No Redis: everything local. */
    public static RedisConfig off() {
        return new RedisConfig(Optional.empty(), DEFAULT_KEY_PREFIX, DEFAULT_TIMEOUT, DEFAULT_LEASE_TTL, DEFAULT_PROBE_INTERVAL);
    }

    public boolean enabled() {
        return endpoint.isPresent();
    }

    /**
     * A Redis server, from a {@code redis://} or {@code rediss://} URL.
     *
     * @param tls      {@code rediss://}: the connection is TLS
     * @param database the logical database ({@code /N} at the end of the URL), 0 by default
     * @param user     the ACL user, when the URL names one
     * @param password the password, from the URL or {@code password_file}; never shown by {@link #toString()}
     */
    public record Endpoint(String host, int port, boolean tls, int database, Optional<String> user, Optional<String> password) {

        public static final int DEFAULT_PORT = 6379;

        public Endpoint {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (port < 1 || port > 65535 || database < 0) {
                throw new IllegalArgumentException("bad port or database");
            }
        }

        /** The URL without the password, for logs and reload reports. */
        @Override
        public String toString() {
            String host = this.host.contains(":") ? "[" + this.host + "]" : this.host;
            return (tls ? "rediss://" : "redis://") + user.map(u -> u + "@").orElse("") + host + ":" + port + "/" + database;
        }
    }
}
