package io.runnel.kernel.delivery;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Small text rules for the header fields we generate: RFC 5322 dates, folding, no stray control characters. */
final class MimeText {

    static final String CRLF = "\r\n";

    /** RFC 5322 3.3 date-time with a numeric zone; always UTC so output does not depend on the host. */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    /** Folding keeps lines short; 78 is the RFC 5322 2.1.1 SHOULD. */
    private static final int FOLD_AT = 78;
    /** A word longer than this is cut even without whitespace, so no line comes near the 998 octet limit. */
    private static final int HARD_LIMIT = 900;

    private MimeText() {
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    /**
     * Text from elsewhere (remote replies, ORCPT, ENVID, host names) made safe for a header or body line: control
     * characters, which could end the line and inject fields, become spaces; non-ASCII becomes {@code ?}, because
     * these values are ASCII by protocol and the headers we write stay 7-bit.
     */
    static String ascii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? ' ' : c > 0x7E ? '?' : c);
        }
        return out.toString();
    }

    /** Like {@link #ascii} but keeps non-ASCII, for addresses that are UTF-8 by nature (RFC 6531). */
    static String noControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? ' ' : c);
        }
        return out.toString();
    }

    /** {@code name: value} folded at whitespace, each line ending in CRLF. */
    static String field(String name, String value) {
        StringBuilder out = new StringBuilder(name.length() + value.length() + 8);
        String line = name + ": " + value;
        int minCut = name.length() + 2; // never fold between the colon and the first word
        while (line.length() > FOLD_AT) {
            int cut = line.lastIndexOf(' ', FOLD_AT);
            if (cut < minCut) {
                cut = line.indexOf(' ', FOLD_AT);
                if (cut < 0 || cut > HARD_LIMIT) {
                    cut = line.length() > HARD_LIMIT ? HARD_LIMIT : -1;
                }
            }
            if (cut < 0) {
                break;
            }
            out.append(line, 0, cut).append(CRLF);
            // a continuation line starts with whitespace: the space we cut at, or one we add after a hard cut
            line = line.charAt(cut) == ' ' ? line.substring(cut) : " " + line.substring(cut);
            minCut = 1;
        }
        return out.append(line).append(CRLF).toString();
    }

    /** Body text wrapped at whitespace, every line starting with {@code indent} and ending in CRLF. */
    static String wrap(String indent, String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        String rest = text;
        int width = FOLD_AT - indent.length();
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                cut = rest.indexOf(' ', width);
                if (cut < 0 || cut > HARD_LIMIT) {
                    cut = Math.min(rest.length(), HARD_LIMIT);
                }
            }
            out.append(indent).append(rest, 0, cut).append(CRLF);
            rest = rest.substring(cut).stripLeading();
        }
        return out.append(indent).append(rest).append(CRLF).toString();
    }
}
