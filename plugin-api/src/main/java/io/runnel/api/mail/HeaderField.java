package io.runnel.api.mail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One header field exactly as it appears in the message: {@code raw} holds the name, the colon, the value with any
 * folding, and the terminating CRLF, byte for byte (DKIM "simple" canonicalisation needs it untouched).
 *
 * @since API 1.0
 */
public record HeaderField(String name, byte[] raw) {

    public HeaderField {
        Objects.requireNonNull(name, "name");
        raw = raw.clone();
        if (name.isEmpty() || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad header field name: " + name);
        }
    }

    /** A field made from a name and an unfolded value; CRLF is appended. */
    public static HeaderField of(String name, String value) {
        return new HeaderField(name, (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** The value after the colon, folding kept, without the final CRLF. */
    public String value() {
        String text = new String(raw, StandardCharsets.UTF_8);
        String value = text.substring(text.indexOf(':') + 1);
        return value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value;
    }

    /**
     * Header names compare case-insensitively. Names are US-ASCII (RFC 5322 2.2), where this equals comparing
     * lower-cased copies; it allocates nothing, and DKIM signing calls it for every field and every signed name.
     */
    public boolean hasName(String other) {
        return name.equalsIgnoreCase(other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderField other && other.name.equals(name) && Arrays.equals(other.raw, raw);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return new String(raw, StandardCharsets.UTF_8).stripTrailing();
    }
}
