package io.runnel.plugin.dkim;

import java.util.List;
import java.util.Objects;

/**
 * How a key signs: canonicalisation and the header names it covers.
 *
 * @param overSign list each header once more than it occurs, so none can be added after signing
 */
public record SigningPolicy(Canonicalization headerCanonicalization, Canonicalization bodyCanonicalization,
                            List<String> headers, boolean overSign) {

    /** The usual set for bulk and transactional mail; From is required by RFC 6376 5.4. */
    public static final List<String> DEFAULT_HEADERS = List.of("From", "To", "Cc", "Subject", "Date",
            "Message-ID", "Reply-To", "In-Reply-To", "References", "MIME-Version", "Content-Type",
            "Content-Transfer-Encoding", "List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID");

    public static final SigningPolicy DEFAULT =
            new SigningPolicy(Canonicalization.RELAXED, Canonicalization.RELAXED, DEFAULT_HEADERS, true);

    public SigningPolicy {
        Objects.requireNonNull(headerCanonicalization, "headerCanonicalization");
        Objects.requireNonNull(bodyCanonicalization, "bodyCanonicalization");
        headers = List.copyOf(headers);
        if (headers.stream().noneMatch(h -> h.equalsIgnoreCase("From"))) {
            throw new IllegalArgumentException("headers must include From (RFC 6376 5.4)");
        }
        if (headers.stream().anyMatch(h -> h.isBlank() || h.indexOf(':') >= 0 || h.indexOf(';') >= 0)) {
            throw new IllegalArgumentException("header names must not be blank or contain ':' or ';'");
        }
    }
}
