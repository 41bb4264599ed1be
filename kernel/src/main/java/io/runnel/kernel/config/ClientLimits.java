package io.runnel.kernel.config;

import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One listener's per-client limits (Postfix anvil): what a single client address, or IPv6 network, may do.
 *
 * @param connectionCountLimit concurrent sessions per client; 0: no limit
 * @param connectionRate       new sessions per client; empty: no limit
 * @param messageRate          MAIL commands per client; empty: no limit
 * @param recipientRate        RCPT commands per client; empty: no limit
 * @param exceptions           clients the four limits above never apply to
 * @param ipv6Prefix           IPv6 clients are counted per network of this prefix length (one host gets a /64)
 * @param trackingLimit        client addresses remembered at once; the least recently seen are forgotten beyond it
 * @param auth                 failed AUTH throttling
 */
public record ClientLimits(int connectionCountLimit, Optional<ThrottleSpec> connectionRate, Optional<ThrottleSpec> messageRate,
                           Optional<ThrottleSpec> recipientRate, List<Cidr> exceptions, int ipv6Prefix, int trackingLimit,
                           AuthThrottle auth) {

    public ClientLimits {
        Objects.requireNonNull(connectionRate, "connectionRate");
        Objects.requireNonNull(messageRate, "messageRate");
        Objects.requireNonNull(recipientRate, "recipientRate");
        exceptions = List.copyOf(exceptions);
        Objects.requireNonNull(auth, "auth");
        if (connectionCountLimit < 0) {
            throw new IllegalArgumentException("client_connection_count_limit must not be negative");
        }
        if (ipv6Prefix < 1 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("client_ipv6_prefix must be 1..128");
        }
        if (trackingLimit < 1) {
            throw new IllegalArgumentException("client_tracking_limit must be positive");
        }
    }

    /**
     * Failed AUTH throttling: {@code ipLimit} failures from one client (or {@code userLimit} for one user name) within
     * {@code window} lock AUTH for that client (or name) for {@code lockout}; every failure's 535 waits
     * {@code delay} doubled per earlier failure in the window, at most {@code maxDelay}.
     */
    public record AuthThrottle(int ipLimit, int userLimit, Duration window, Duration lockout, Duration delay, Duration maxDelay) {
        public AuthThrottle {
            if (ipLimit < 0 || userLimit < 0) {
                throw new IllegalArgumentException("auth failure limits must not be negative");
            }
            if (window.isNegative() || window.isZero() || lockout.isNegative() || delay.isNegative() || maxDelay.compareTo(delay) < 0) {
                throw new IllegalArgumentException("auth_failure_window must be positive, delays not negative, max not below the delay");
            }
        }
    }
}
