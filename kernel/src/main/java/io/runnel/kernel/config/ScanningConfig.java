package io.runnel.kernel.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [scanning]} section: what reception does with what scanner plugins (SpamAssassin, ClamAV) report.
 *
 * @param maxSize  messages larger than this are not scanned (logged, and marked with a header)
 * @param timeout  the deadline of one scanner call
 * @param defaults the policy for mail without a tenant policy
 * @param tenants  policies by tenant ({@code [[scanning.tenant]]})
 */
public record ScanningConfig(long maxSize, Duration timeout, ScanPolicy defaults, Map<String, ScanPolicy> tenants) {

    public ScanningConfig {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(defaults, "defaults");
        tenants = Map.copyOf(tenants);
        if (maxSize < 1) {
            throw new IllegalArgumentException("max_size must be positive");
        }
    }

    public ScanPolicy policyFor(Optional<String> tenant) {
        return tenant.map(t -> tenants.getOrDefault(t, defaults)).orElse(defaults);
    }

    /**
     * @param spamThreshold score from which a message is spam
     * @param spamAction    reject (550 5.7.1), tag (X-Spam-* headers) or accept (logged only)
     * @param virusAction   reject (554 5.7.1 naming the virus) or tag
     * @param unavailable   a scanner that fails or is late: tempfail (451 4.7.1) or accept with a header saying so
     */
    public record ScanPolicy(double spamThreshold, SpamAction spamAction, VirusAction virusAction, Unavailable unavailable) {
        public ScanPolicy {
            Objects.requireNonNull(spamAction, "spamAction");
            Objects.requireNonNull(virusAction, "virusAction");
            Objects.requireNonNull(unavailable, "unavailable");
        }
    }

    public enum SpamAction { REJECT, TAG, ACCEPT }

    public enum VirusAction { REJECT, TAG }

    public enum Unavailable { TEMPFAIL, ACCEPT }
}
