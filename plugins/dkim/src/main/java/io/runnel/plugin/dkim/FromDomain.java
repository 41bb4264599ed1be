package io.runnel.plugin.dkim;

import io.runnel.api.mail.HeaderField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The domain of the single address in the From field (RFC 5322 3.6.2), enough to pick a default signing domain. */
final class FromDomain {

    private FromDomain() {
    }

    /** Empty when there is not exactly one From field or its address has no domain. */
    static Optional<String> of(List<HeaderField> headers) {
        List<HeaderField> from = headers.stream().filter(h -> h.hasName("From")).toList();
        if (from.size() != 1) {
            return Optional.empty(); // ambiguous From: sign nothing rather than guess (RFC 6376 8.15)
        }
        String value = from.get(0).value().replaceAll("\\([^()]*\\)", " ").strip();
        int open = value.lastIndexOf('<');
        int close = value.lastIndexOf('>');
        String address = open >= 0 && close > open ? value.substring(open + 1, close) : value;
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            return Optional.empty();
        }
        String domain = address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        return domain.isEmpty() || domain.contains(",") || domain.contains(" ") ? Optional.empty()
                : Optional.of(domain);
    }
}
