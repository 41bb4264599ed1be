package io.runnel.kernel.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code [dns]} section.
 *
 * @param nameServers recursive resolvers asked in order (the next one on timeout or server failure); empty means
 *                    the name servers of {@code /etc/resolv.conf}
 * @param timeout     how long one query waits for one name server
 * @param minTtl      answers are cached at least this long, however short their TTL
 * @param maxTtl      answers are cached at most this long, however long their TTL
 * @param negativeTtl how long "no such domain" and empty answers are cached when no SOA says otherwise
 */
public record DnsConfig(List<InetSocketAddress> nameServers, Duration timeout, Duration minTtl, Duration maxTtl,
                        Duration negativeTtl) {

    public DnsConfig {
        nameServers = List.copyOf(nameServers);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(minTtl, "minTtl");
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(negativeTtl, "negativeTtl");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be greater than 0");
        }
        if (minTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("min_ttl must not exceed max_ttl");
        }
    }

    /** Five-second queries to the system's name servers; cache 30s..1d, negative answers 5m. */
    public static DnsConfig defaults() {
        return new DnsConfig(List.of(), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofDays(1),
                Duration.ofMinutes(5));
    }
}
