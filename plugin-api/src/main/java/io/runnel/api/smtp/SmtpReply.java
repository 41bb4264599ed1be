package io.runnel.api.smtp;

import java.util.List;
import java.util.Optional;

/**
 * One SMTP reply: a three-digit code, an optional enhanced status code and one or more text lines.
 * Codes are ints, never strings; whether a reply is transient or permanent is asked of the reply.
 *
 * @since API 1.0
 */
public record SmtpReply(int code, Optional<EnhancedStatus> enhancedStatus, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        enhancedStatus.ifPresent(status -> {
            if (status.statusClass() != code / 100 && code / 100 != 3) {
                throw new IllegalArgumentException("enhanced status " + status + " does not match code " + code);
            }
        });
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("reply text must not contain CR or LF");
            }
        }
    }

    /** A one-line reply with an enhanced status code, e.g. {@code of(550, "5.7.1", "Relaying denied")}. */
    public static SmtpReply of(int code, String enhancedStatus, String text) {
        return new SmtpReply(code, Optional.of(EnhancedStatus.parse(enhancedStatus)), List.of(text));
    }

    /** A one-line reply without an enhanced status code (greetings, 354, 334). */
    public static SmtpReply of(int code, String text) {
        return new SmtpReply(code, Optional.empty(), List.of(text));
    }

    /** 2xx or 3xx. */
    public boolean isPositive() {
        return code < 400;
    }

    /** 4xx: try again later. */
    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    /** 5xx: do not try again. */
    public boolean isPermanent() {
        return code >= 500;
    }

    /** The reply as it goes on the wire, each line CRLF-terminated. */
    public String toWire() {
        StringBuilder out = new StringBuilder();
        String prefix = enhancedStatus.map(status -> status + " ").orElse("");
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(prefix).append(lines.get(i)).append("\r\n");
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return code + " " + enhancedStatus.map(status -> status + " ").orElse("") + String.join(" / ", lines);
    }
}
