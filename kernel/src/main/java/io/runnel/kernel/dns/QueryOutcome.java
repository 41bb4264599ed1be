package io.runnel.kernel.dns;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one query for one name and type produced, with how long it may be believed. Failures that must not be
 * cached (SERVFAIL, timeouts) are not outcomes: they fail the query's stage instead.
 *
 * @param <V> the parsed answer
 */
sealed interface QueryOutcome<V> {

    /** Records were found; {@code ttl} is the smallest TTL among them. */
    record Answer<V>(V value, Duration ttl) implements QueryOutcome<V> {
        public Answer {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(ttl, "ttl");
        }
    }

    /** The name exists but has no record of this type; {@code soaTtl} is the RFC 2308 negative TTL when given. */
    record NoData<V>(V empty, Optional<Duration> soaTtl) implements QueryOutcome<V> {
        public NoData {
            Objects.requireNonNull(empty, "empty");
            Objects.requireNonNull(soaTtl, "soaTtl");
        }
    }

    /** The name does not exist (NXDOMAIN). */
    record NxDomain<V>(Optional<Duration> soaTtl) implements QueryOutcome<V> {
        public NxDomain {
            Objects.requireNonNull(soaTtl, "soaTtl");
        }
    }
}
