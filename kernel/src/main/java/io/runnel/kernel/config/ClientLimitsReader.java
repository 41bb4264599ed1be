package io.runnel.kernel.config;

import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a listener's abuse-resistance keys: per-client limits, failed AUTH throttling and its TLS versions and
 * ciphers. Defaults follow Postfix where it has one; the exceptions default to the listener's relay_hosts, as
 * Postfix's smtpd_client_event_limit_exceptions defaults to $mynetworks.
 */
final class ClientLimitsReader {

    static final int DEFAULT_COUNT_LIMIT = 50;
    static final String DEFAULT_CONNECTION_RATE = "300/min";
    static final String DEFAULT_MESSAGE_RATE = "1,000/min";
    static final String DEFAULT_RECIPIENT_RATE = "10,000/min";

    private ClientLimitsReader() {
    }

    static ClientLimits read(TomlSection s, List<Cidr> relayFrom) throws ConfigException {
        int count = (int) s.integer("client_connection_count_limit", DEFAULT_COUNT_LIMIT, 0, 1_000_000);
        Optional<ThrottleSpec> connections = throttle(s, "client_connection_rate_limit", DEFAULT_CONNECTION_RATE);
        Optional<ThrottleSpec> messages = throttle(s, "client_message_rate_limit", DEFAULT_MESSAGE_RATE);
        Optional<ThrottleSpec> recipients = throttle(s, "client_recipient_rate_limit", DEFAULT_RECIPIENT_RATE);
        List<Cidr> exceptions = cidrs(s, "client_limit_exceptions", relayFrom);
        int prefix = (int) s.integer("client_ipv6_prefix", 64, 1, 128);
        int tracking = (int) s.integer("client_tracking_limit", 100_000, 1, 10_000_000);
        int ipFailures = (int) s.integer("auth_failure_limit", 5, 0, 1_000_000);
        int userFailures = (int) s.integer("auth_user_failure_limit", 20, 0, 1_000_000);
        Duration window = s.duration("auth_failure_window", Duration.ofMinutes(15));
        if (window.isZero()) {
            throw s.error("auth_failure_window", "must be greater than 0");
        }
        Duration lockout = s.duration("auth_lockout", Duration.ofMinutes(15));
        Duration delay = s.duration("auth_failure_delay", Duration.ofSeconds(1));
        Duration maxDelay = s.duration("auth_failure_max_delay", Duration.ofSeconds(16));
        if (maxDelay.compareTo(delay) < 0) {
            throw s.error("auth_failure_max_delay", "must not be less than auth_failure_delay (" + delay + ")");
        }
        return new ClientLimits(count, connections, messages, recipients, exceptions, prefix, tracking,
                new ClientLimits.AuthThrottle(ipFailures, userFailures, window, lockout, delay, maxDelay));
    }

    static TlsSettings tls(TomlSection s) throws ConfigException {
        List<String> protocols = s.strings("tls_protocols", TlsSettings.DEFAULT_PROTOCOLS);
        for (String protocol : protocols) {
            if (!TlsSettings.ALLOWED_PROTOCOLS.contains(protocol)) {
                throw s.error("tls_protocols", "\"" + protocol + "\" is not allowed: use " + TlsSettings.ALLOWED_PROTOCOLS
                        + " (older versions are broken, RFC 8996)");
            }
        }
        List<String> ciphers = s.strings("tls_ciphers", TlsSettings.DEFAULT_CIPHERS);
        if (protocols.isEmpty() || ciphers.isEmpty()) {
            throw s.error(protocols.isEmpty() ? "tls_protocols" : "tls_ciphers", "must not be empty");
        }
        return new TlsSettings(protocols, ciphers);
    }

    /** A throttle spec, or {@code "off"} for no limit. */
    private static Optional<ThrottleSpec> throttle(TomlSection s, String key, String fallback) throws ConfigException {
        String text = s.string(key, fallback);
        if (text.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            return Optional.of(ThrottleSpec.parse(text));
        } catch (IllegalArgumentException e) {
            throw s.error(key, e.getMessage() + ", or \"off\"");
        }
    }

    private static List<Cidr> cidrs(TomlSection s, String key, List<Cidr> fallback) throws ConfigException {
        List<String> texts = s.strings(key, null);
        if (texts == null) {
            return fallback;
        }
        List<Cidr> out = new ArrayList<>();
        for (String text : texts) {
            try {
                out.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw s.error(key, e.getMessage());
            }
        }
        return out;
    }
}
