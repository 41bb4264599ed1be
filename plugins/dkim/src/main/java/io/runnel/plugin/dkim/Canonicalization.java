package io.runnel.plugin.dkim;

import java.util.Locale;
import java.util.Optional;

/** The two DKIM canonicalisation algorithms (RFC 6376 3.4). */
public enum Canonicalization {
    SIMPLE, RELAXED;

    /** The name used in {@code c=} and in the configuration. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Canonicalization> parse(String text) {
        for (Canonicalization c : values()) {
            if (c.tag().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
