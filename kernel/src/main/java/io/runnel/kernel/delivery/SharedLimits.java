package io.runnel.kernel.delivery;

import io.runnel.kernel.reload.Live;
import io.runnel.kernel.shaping.EgressPath;
import io.runnel.kernel.shaping.Shaping;
import io.runnel.kernel.shaping.ThrottleSpec;
import io.runnel.kernel.shaping.store.ConnectionLeases;
import io.runnel.kernel.shaping.store.ConnectionLeases.Lease;
import io.runnel.kernel.shaping.store.ShapingStores;
import io.runnel.kernel.shaping.store.ThrottleStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The limits a message or connection shares beyond its own ready queue, kept in the {@link ShapingStores} (Redis
 * when configured, this node otherwise): a tenant's rate over all its mail and per recipient domain, a path's
 * {@code additional_message_rate_throttles} and provider rate, and every connection limit of the path. With Redis,
 * a path's own {@code max_message_rate} and {@code connection_limit} are shared too (unless written {@code local:}).
 *
 * <p>Calls may make a Redis round trip (bounded by {@code [redis] timeout}): the engine makes them off the event
 * loops.
 */
@Singleton
final class SharedLimits {

    private final ThrottleStore throttles;
    private final ConnectionLeases leases;
    private final boolean shared;

    @Inject
    SharedLimits(ShapingStores stores) {
        this.throttles = stores.throttles();
        this.leases = stores.leases();
        this.shared = stores.redis().isPresent();
    }

    /**
     * Takes a cell of every rate the message to {@code domain} counts against, in order; stops at the first that
     * says wait, and returns that wait ({@link Duration#ZERO}: go). Runs for every routed message: nothing is
     * built when no such rate applies.
     */
    Duration messageWait(Live live, Optional<String> tenant, String domain, ReadyQueue queue, Instant now) {
        Shaping.TenantRates rates = tenant.map(live.config().delivery().shaping().tenants()::get).orElse(null);
        if (rates != null) {
            Duration wait = take("tenant:" + rates.tenant(), rates.maxMessageRate(), now);
            String lower = domain.toLowerCase(Locale.ROOT);
            if (wait.isZero()) {
                wait = take("tenant:" + rates.tenant() + ":domain:" + lower, Optional.ofNullable(rates.domains().get(lower)), now);
            }
            if (!wait.isZero()) {
                return wait;
            }
        }
        EgressPath path = queue.path();
        for (Map.Entry<String, ThrottleSpec> rate : path.sharedMessageRates().entrySet()) {
            Duration wait = take("shared:" + rate.getKey(), Optional.of(rate.getValue()), now);
            if (!wait.isZero()) {
                return wait;
            }
        }
        return shared ? take(pathKey(queue), path.limits().maxMessageRate().filter(rate -> !rate.local()), now) : Duration.ZERO;
    }

    private Duration take(String key, Optional<ThrottleSpec> rate, Instant now) {
        return rate.map(spec -> throttles.tryAcquire(key, spec, now)).orElse(Duration.ZERO);
    }

    /**
     * Leases for one more connection of the path, one per connection limit it shares; empty (nothing held) when
     * one of them is reached.
     */
    Optional<List<Lease>> connectionLeases(ReadyQueue queue) {
        EgressPath path = queue.path();
        Map<String, Integer> limits = new LinkedHashMap<>();
        path.sharedConnectionLimits().forEach((name, limit) -> limits.put("shared:" + name, limit));
        if (shared) {
            limits.put(pathKey(queue), path.limits().connectionLimit());
        }
        List<Lease> held = new ArrayList<>(limits.size());
        for (Map.Entry<String, Integer> limit : limits.entrySet()) {
            Optional<Lease> lease = leases.tryAcquire(limit.getKey(), limit.getValue());
            if (lease.isEmpty()) {
                held.forEach(Lease::release);
                return Optional.empty();
            }
            held.add(lease.get());
        }
        return Optional.of(held);
    }

    private static String pathKey(ReadyQueue queue) {
        return "path:" + queue.source().name() + ":" + queue.plan().site();
    }
}
