package io.runnel.api.mail;

import java.util.Locale;

/**
 * A mailbox as used in the SMTP envelope: local part and domain. The domain is kept in lower case
 * (domains compare case-insensitively); the local part is kept exactly as given (RFC 5321 2.4).
 * {@link #NULL_SENDER} stands for the empty reverse path {@code <>}.
 *
 * @since API 1.0
 */
public record EmailAddress(String localPart, String domain) {

    /** The null reverse path {@code <>} of bounces and other notifications. */
    public static final EmailAddress NULL_SENDER = new EmailAddress("", "");

    public EmailAddress {
        if (localPart == null || domain == null) {
            throw new IllegalArgumentException("local part and domain are required");
        }
        if (localPart.isEmpty() != domain.isEmpty()) {
            throw new IllegalArgumentException("local part and domain must both be present");
        }
        domain = domain.toLowerCase(Locale.ROOT); // first: lower case can be longer ("İ" becomes "i̇")
        if (localPart.length() > 64 * 4 || domain.length() > 255) {
            throw new IllegalArgumentException("address too long");
        }
    }

    /**
     * Parses an RFC 5321 {@code Mailbox} (or its RFC 6531 UTF-8 form): a dot-string or quoted-string local part,
     * then {@code @}, then a domain name or an address literal. Throws {@link IllegalArgumentException} naming
     * what is wrong.
     */
    public static EmailAddress parse(String mailbox) {
        int at = mailbox.lastIndexOf('@');
        if (at <= 0 || at == mailbox.length() - 1) {
            throw new IllegalArgumentException("address must be local-part@domain");
        }
        String local = mailbox.substring(0, at);
        String domain = mailbox.substring(at + 1).toLowerCase(Locale.ROOT); // checked as it will be kept
        if (!isValidLocalPart(local)) {
            throw new IllegalArgumentException("invalid local part");
        }
        if (!isValidDomain(domain)) {
            throw new IllegalArgumentException("invalid domain");
        }
        return new EmailAddress(local, domain);
    }

    public boolean isNullSender() {
        return localPart.isEmpty();
    }

    /** True when local part and domain are plain ASCII, so SMTPUTF8 is not needed to relay it. */
    public boolean isAscii() {
        return Ascii.isAscii(localPart) && Ascii.isAscii(domain);
    }

    @Override
    public String toString() {
        return isNullSender() ? "" : localPart + "@" + domain;
    }

    private static boolean isValidLocalPart(String local) {
        if (local.startsWith("\"")) {
            return isQuotedString(local);
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c != '.' && !isAtext(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isQuotedString(String s) {
        if (s.length() < 2 || !s.endsWith("\"")) {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= s.length() - 1 || s.charAt(i) < 32 || s.charAt(i) > 126) {
                    return false;
                }
            } else if (c == '"' || (c < 32) || c == 127) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValidDomain(String domain) {
        if (domain.startsWith("[")) {
            return domain.endsWith("]") && domain.length() > 2 && isAddressLiteral(domain.substring(1, domain.length() - 1));
        }
        if (domain.length() > 255) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c > 127;
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isAddressLiteral(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c <= 32 || c >= 127 || c == '[' || c == ']' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0 || c > 127;
    }
}
