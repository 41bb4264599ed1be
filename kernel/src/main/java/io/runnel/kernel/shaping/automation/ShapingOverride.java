package io.runnel.kernel.shaping.automation;

import java.time.Instant;
import java.util.Objects;

/**
 * One shaping key overridden for one path (egress source to site) until {@code expiresAt}.
 *
 * @param value  as written in the shaping file: a String, Long, Double or Boolean
 * @param reason which rule set it and the reply it saw
 */
public record ShapingOverride(String source, String site, String name, Object value, String reason, Instant createdAt,
                              Instant expiresAt) {
    public ShapingOverride {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean activeAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
