package io.runnel.plugin.spamassassin;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [plugins.spamassassin]}: where spamd listens, the deadline per call (connect plus read), the largest message
 * sent, and the optional spamd {@code User} whose preferences apply.
 */
record SpamdConfig(String host, int port, Duration timeout, long maxSize, Optional<String> user) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 783;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final long DEFAULT_MAX_SIZE = 1_000_000;

    SpamdConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(user, "user");
    }

    static SpamdConfig read(ConfigSection config) throws PluginConfigException {
        String host = config.string("host").orElse(DEFAULT_HOST);
        long port = config.integer("port").orElse((long) DEFAULT_PORT);
        Duration timeout = config.duration("timeout").orElse(DEFAULT_TIMEOUT);
        long maxSize = config.integer("max_size").orElse(DEFAULT_MAX_SIZE);
        Optional<String> user = config.string("user");
        config.rejectUnknownKeys();

        if (host.isBlank()) {
            throw config.error("host", "must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw config.error("port", port + " is not a TCP port (1..65535)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw config.error("timeout", "must be positive");
        }
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw config.error("timeout", "too long");
        }
        if (maxSize < 1) {
            throw config.error("max_size", "must be at least 1 byte");
        }
        if (user.isPresent() && (user.get().isBlank() || !user.get().chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw config.error("user", "must be a non-empty name of printable ASCII without spaces");
        }
        return new SpamdConfig(host, (int) port, timeout, maxSize, user);
    }
}
