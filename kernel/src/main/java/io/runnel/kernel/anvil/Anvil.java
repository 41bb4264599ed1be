package io.runnel.kernel.anvil;

import io.runnel.kernel.config.ClientLimits;
import io.runnel.kernel.shaping.Gcra;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One listener's per-client counters, like Postfix's anvil: concurrent sessions, and the rates of new sessions,
 * messages (MAIL) and recipients (RCPT) per client address (IPv6: per network). Rates are GCRA cells, so a
 * client gets the configured burst and then the steady rate. Memory is bounded: session counts exist only while a
 * client has sessions open (at most the listener's max_connections), rate state lives in an
 * {@link ExpiringTable} of {@code client_tracking_limit} entries and is forgotten once it no longer limits anything.
 * Thread-safe; callers pass the time from the kernel's Clock.
 */
public final class Anvil {

    /** Why a new session is refused. */
    public enum Refusal { TOO_MANY_CONNECTIONS, CONNECTING_TOO_FAST }

    private final ClientLimits limits;
    private final Duration forgetAfter;
    private final Map<ClientKey, Integer> sessions = new HashMap<>();
    private final ExpiringTable<ClientKey, Rates> rates;

    public Anvil(ClientLimits limits) {
        this.limits = limits;
        this.forgetAfter = Stream.of(limits.connectionRate(), limits.messageRate(), limits.recipientRate())
                .flatMap(Optional::stream)
                .map(spec -> spec.interval().multipliedBy(spec.maxBurst()))
                .max(Duration::compareTo).orElse(Duration.ZERO);
        this.rates = new ExpiringTable<>(limits.trackingLimit(), (r, now) -> !now.isBefore(r.lastSeen.plus(forgetAfter)));
    }

    /** Whether {@code address} is one of the exceptions, which no per-client limit applies to. */
    public boolean exempt(InetAddress address) {
        return limits.exceptions().stream().anyMatch(cidr -> cidr.contains(address));
    }

    public ClientKey key(InetAddress address) {
        return ClientKey.of(address, limits.ipv6Prefix());
    }

    /** Counts a new session of {@code client}, or says why it is refused (then nothing is counted). */
    public synchronized Optional<Refusal> connect(ClientKey client, Instant now) {
        int open = sessions.getOrDefault(client, 0);
        if (limits.connectionCountLimit() > 0 && open >= limits.connectionCountLimit()) {
            return Optional.of(Refusal.TOO_MANY_CONNECTIONS);
        }
        if (limits.connectionRate().isPresent() && !rates(client, now).connections.tryAcquire(now).isZero()) {
            return Optional.of(Refusal.CONNECTING_TOO_FAST);
        }
        sessions.put(client, open + 1);
        return Optional.empty();
    }

    /** A session counted by {@link #connect} has ended. */
    public synchronized void disconnect(ClientKey client) {
        sessions.computeIfPresent(client, (k, open) -> open > 1 ? open - 1 : null);
    }

    /** Takes one message (MAIL) from the client's rate; false when over it. */
    public synchronized boolean messageAllowed(ClientKey client, Instant now) {
        return limits.messageRate().isEmpty() || rates(client, now).messages.tryAcquire(now).isZero();
    }

    /** Takes one recipient (RCPT) from the client's rate; false when over it. */
    public synchronized boolean recipientAllowed(ClientKey client, Instant now) {
        return limits.recipientRate().isEmpty() || rates(client, now).recipients.tryAcquire(now).isZero();
    }

    /** Clients whose rate state is remembered now (at most client_tracking_limit). */
    public synchronized int trackedClients() {
        return rates.size();
    }

    /** Clients with at least one session open. */
    public synchronized int connectedClients() {
        return sessions.size();
    }

    private Rates rates(ClientKey client, Instant now) {
        Rates r = rates.get(client, now, k -> new Rates(limits));
        r.lastSeen = now;
        return r;
    }

    /** One client's GCRA states; a limit that is off gets a limiter nobody asks. */
    private static final class Rates {
        private static final ThrottleSpec UNUSED = new ThrottleSpec(1, Duration.ofSeconds(1), 1, true);

        final Gcra connections;
        final Gcra messages;
        final Gcra recipients;
        Instant lastSeen = Instant.MIN;

        Rates(ClientLimits limits) {
            connections = new Gcra(limits.connectionRate().orElse(UNUSED));
            messages = new Gcra(limits.messageRate().orElse(UNUSED));
            recipients = new Gcra(limits.recipientRate().orElse(UNUSED));
        }
    }
}
