package io.runnel.plugin.dkim;

import io.runnel.api.mail.HeaderField;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The domain of the single address in the From field (RFC 5322 3.6.2), enough to pick a default signing domain. */
final class FromDomain {

    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");

    private FromDomain() {
    }

    /** Empty when there is not exactly one From field or its address has no domain. */
    static Optional<String> of(List<HeaderField> headers) {
        List<HeaderField> from = headers.stream().filter(h -> h.hasName("From")).toList();
        if (from.size() != 1) {
            return Optional.empty(); // ambiguous From: sign nothing rather than guess (RFC 6376 8.15)
        }
        // comments and quoted display names may hold '@'; what remains must hold exactly one address
        String value = withoutQuotedStrings(COMMENT.matcher(from.get(0).value()).replaceAll(" ")).strip();
        if (value.indexOf('@') != value.lastIndexOf('@')) {
            return Optional.empty(); // several authors: RFC 5322 then wants Sender; let rules choose the domain
        }
        int open = value.lastIndexOf('<');
        int close = value.lastIndexOf('>');
        String address = open >= 0 && close > open ? value.substring(open + 1, close) : value;
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            return Optional.empty();
        }
        String domain = address.substring(at + 1).strip();
        if (domain.isEmpty() || domain.contains(",") || domain.contains(" ")) {
            return Optional.empty();
        }
        try {
            String normalized = DkimKey.normalizeDomain(domain);
            return normalized.isEmpty() ? Optional.empty() : Optional.of(normalized); // "joe@." is the root: nothing
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a valid IDN: nothing we could sign for
        }
    }

    /**
     * Each complete quoted string (backslash escapes honoured) replaced by a space. A loop, not a regex: the regex
     * {@code "(?:[^"\\]|\\.)*"} recursed once per character and overflowed the stack on a long display name.
     */
    private static String withoutQuotedStrings(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int close = text.charAt(i) == '"' ? closingQuote(text, i + 1) : -1;
            if (close < 0) {
                out.append(text.charAt(i++));
            } else {
                out.append(' ');
                i = close + 1;
            }
        }
        return out.toString();
    }

    /** The index of the quote that closes a quoted string whose content starts at {@code from}; -1 when none does. */
    private static int closingQuote(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }
}
