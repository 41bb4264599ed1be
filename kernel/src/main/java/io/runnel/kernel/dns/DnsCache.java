package io.runnel.kernel.dns;

import io.runnel.api.dns.DnsLookupException;
import io.runnel.api.dns.DnsLookupException.Kind;
import io.runnel.kernel.config.DnsConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers of one record type by name, each kept until its TTL runs out on the injected clock. Positive answers
 * live for their TTL clamped to [min_ttl, max_ttl]; NXDOMAIN and empty answers for the SOA's negative TTL or
 * {@code negative_ttl}, clamped the same way; failures are never kept, so the next caller asks again. Concurrent
 * lookups of one name share one query, so a burst of mail to one domain costs one round trip.
 *
 * @param <V> the parsed answer
 */
final class DnsCache<V> {

    private final Clock clock;
    private final DnsConfig config;
    private final int maxEntries;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();

    DnsCache(Clock clock, DnsConfig config, int maxEntries) {
        this.clock = clock;
        this.config = config;
        this.maxEntries = maxEntries;
    }

    /**
     * The cached answer for {@code name}, or the one {@code query} produces. An NXDOMAIN, cached or fresh, fails the
     * stage with {@link DnsLookupException}; so do the query's own failures, which are not cached.
     */
    CompletionStage<V> get(String name, Function<String, CompletionStage<QueryOutcome<V>>> query) {
        Entry<V> cached = entries.get(name);
        if (cached != null) {
            if (clock.instant().isBefore(cached.expires())) {
                return cached.toStage(name);
            }
            entries.remove(name, cached);
        }
        CompletableFuture<V> promise = new CompletableFuture<>();
        CompletableFuture<V> running = inFlight.putIfAbsent(name, promise);
        if (running != null) {
            return running.copy(); // callers must not be able to complete the shared future
        }
        CompletionStage<QueryOutcome<V>> stage;
        try {
            stage = query.apply(name);
        } catch (RuntimeException e) { // a query that throws must not leave its promise in flight forever
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((outcome, failure) -> {
            Entry<V> entry = failure == null ? store(name, outcome) : null;
            inFlight.remove(name, promise);
            if (entry != null) {
                entry.complete(name, promise);
            } else {
                promise.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
            }
        });
        return promise.copy();
    }

    /** Number of live and expired entries held; for tests. */
    int size() {
        return entries.size();
    }

    private Entry<V> store(String name, QueryOutcome<V> outcome) {
        Entry<V> entry;
        if (outcome instanceof QueryOutcome.Answer<V> a) {
            entry = new Entry<>(Optional.of(a.value()), expiry(a.ttl()));
        } else if (outcome instanceof QueryOutcome.NoData<V> n) {
            entry = new Entry<>(Optional.of(n.empty()), expiry(n.soaTtl().orElse(config.negativeTtl())));
        } else if (outcome instanceof QueryOutcome.NxDomain<V> x) {
            entry = new Entry<>(Optional.empty(), expiry(x.soaTtl().orElse(config.negativeTtl())));
        } else {
            throw new IllegalStateException("unhandled outcome " + outcome);
        }
        if (entries.size() >= maxEntries) {
            evict();
        }
        entries.put(name, entry);
        return entry;
    }

    private Instant expiry(Duration ttl) {
        Duration clamped = ttl.compareTo(config.maxTtl()) > 0 ? config.maxTtl() : ttl;
        clamped = clamped.compareTo(config.minTtl()) < 0 ? config.minTtl() : clamped;
        return clock.instant().plus(clamped);
    }

    /** Drops expired entries, then arbitrary ones until there is room: memory stays bounded under any mail mix. */
    private void evict() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> !now.isBefore(e.expires()));
        Iterator<String> names = entries.keySet().iterator();
        while (entries.size() >= maxEntries && names.hasNext()) {
            names.next();
            names.remove();
        }
    }

    /** A cached answer, or an NXDOMAIN when {@code value} is empty. */
    private record Entry<V>(Optional<V> value, Instant expires) {

        CompletionStage<V> toStage(String name) {
            CompletableFuture<V> out = new CompletableFuture<>();
            complete(name, out);
            return out;
        }

        void complete(String name, CompletableFuture<V> out) {
            if (value.isPresent()) {
                out.complete(value.get());
            } else {
                out.completeExceptionally(new DnsLookupException(Kind.NXDOMAIN, name, "no such domain", null));
            }
        }
    }
}
