package io.runnel.kernel.anvil;

import io.runnel.kernel.config.ClientLimits.AuthThrottle;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Failed AUTH attempts per client and per user name: too many within the window lock AUTH for that client (or that
 * name, from anywhere) for the lock-out period, and every failure's answer is delayed longer than the last, which
 * makes guessing slow. A success clears the client's and the name's tallies. Bounded like {@link Anvil}.
 * Thread-safe.
 */
public final class AuthFailures {

    /** User names longer than this are tallied by their first this many characters. */
    private static final int MAX_NAME = 320;

    private final AuthThrottle config;
    private final ExpiringTable<ClientKey, Tally> clients;
    private final ExpiringTable<String, Tally> users;

    public AuthFailures(AuthThrottle config, int capacity) {
        this.config = config;
        this.clients = new ExpiringTable<>(capacity, Tally::stale);
        this.users = new ExpiringTable<>(capacity, Tally::stale);
    }

    /** Whether AUTH from {@code client} is locked out now. */
    public synchronized boolean clientLocked(ClientKey client, Instant now) {
        return clients.find(client, now).map(t -> t.locked(now)).orElse(false);
    }

    /** Whether AUTH as {@code user} is locked out now. */
    public synchronized boolean userLocked(String user, Instant now) {
        return users.find(name(user), now).map(t -> t.locked(now)).orElse(false);
    }

    /** Records a failed attempt; returns how long to wait before answering it. */
    public synchronized Duration failed(ClientKey client, String user, Instant now) {
        int failures = clients.get(client, now, k -> new Tally(config)).fail(now, config.ipLimit());
        users.get(name(user), now, k -> new Tally(config)).fail(now, config.userLimit());
        return delay(failures);
    }

    /** A successful AUTH forgets the client's and the name's earlier failures. */
    public synchronized void succeeded(ClientKey client, String user) {
        clients.remove(client);
        users.remove(name(user));
    }

    /** Entries kept now, clients plus names. */
    public synchronized int tracked() {
        return clients.size() + users.size();
    }

    /** {@code delay} doubled per earlier failure in the window, at most {@code maxDelay}. */
    Duration delay(int failures) {
        Duration d = config.delay();
        for (int i = 1; i < failures && d.compareTo(config.maxDelay()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(config.maxDelay()) > 0 ? config.maxDelay() : d;
    }

    private static String name(String user) {
        String lower = user.toLowerCase(Locale.ROOT);
        return lower.length() > MAX_NAME ? lower.substring(0, MAX_NAME) : lower;
    }

    /** Failures in the current window, and the end of a lock-out. */
    private static final class Tally {
        private final AuthThrottle config;
        private int failures;
        private Instant windowStart = Instant.MIN;
        private Instant lockedUntil = Instant.MIN;

        Tally(AuthThrottle config) {
            this.config = config;
        }

        /** Counts one failure; returns the failures in the window so far (this one included). */
        int fail(Instant now, int limit) {
            if (!now.isBefore(windowStart.plus(config.window()))) {
                windowStart = now;
                failures = 0;
            }
            failures++;
            int counted = failures;
            if (limit > 0 && failures >= limit) {
                lockedUntil = now.plus(config.lockout());
                failures = 0; // the lock-out is the punishment; afterwards the count starts over
                windowStart = now;
            }
            return counted;
        }

        boolean locked(Instant now) {
            return now.isBefore(lockedUntil);
        }

        boolean stale(Instant now) {
            return !now.isBefore(windowStart.plus(config.window())) && !locked(now);
        }
    }
}
