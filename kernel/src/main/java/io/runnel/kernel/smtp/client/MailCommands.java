package io.runnel.kernel.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.DsnNotify;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;

/**
 * The MAIL and RCPT lines for a message and what the server offers, and the checks that keep a message off the
 * wire when the server cannot take it as it is. Messages are never converted (no 8-bit to 7-bit, no UTF-8
 * downgrade): they fail with the RFC 6152 / RFC 6531 codes instead.
 */
final class MailCommands {

    static final SmtpReply TOO_BIG = SmtpReply.of(552, "5.3.4", "Message size exceeds the limit the server advertised");
    static final SmtpReply NO_SMTPUTF8 = SmtpReply.of(553, "5.6.7", "Internationalised addresses or headers need SMTPUTF8, which the server does not offer");
    static final SmtpReply NO_8BITMIME = SmtpReply.of(554, "5.6.3", "8-bit content needs 8BITMIME, which the server does not offer");

    private MailCommands() {
    }

    /** The local reply that keeps {@code message} from being sent to this server, if any. */
    static Optional<SmtpReply> refusal(OutboundMessage message, SessionFacts server) {
        if (needsSmtpUtf8(message) && !server.offers("SMTPUTF8")) {
            return Optional.of(NO_SMTPUTF8);
        }
        if (sendsEightBit(message) && !server.offers("8BITMIME") && hasEightBit(message.content(), message.content().length)) {
            return Optional.of(NO_8BITMIME);
        }
        OptionalLong limit = sizeLimit(server);
        if (limit.isPresent() && message.content().length > limit.getAsLong()) {
            return Optional.of(TOO_BIG);
        }
        return Optional.empty();
    }

    static String mailFrom(OutboundMessage message, SessionFacts server) {
        StringBuilder line = new StringBuilder("MAIL FROM:<").append(message.sender()).append('>');
        if (server.offers("SIZE")) {
            line.append(" SIZE=").append(message.content().length);
        }
        if (sendsEightBit(message) && server.offers("8BITMIME")) {
            line.append(" BODY=8BITMIME");
        }
        if (needsSmtpUtf8(message)) {
            line.append(" SMTPUTF8");
        }
        if (server.offers("DSN")) {
            MailParameters p = message.parameters();
            p.ret().ifPresent(ret -> line.append(" RET=").append(ret.name()));
            p.envelopeId().ifPresent(id -> line.append(" ENVID=").append(xtext(id)));
        }
        return line.toString();
    }

    static String rcptTo(Recipient recipient, SessionFacts server) {
        StringBuilder line = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
        if (server.offers("DSN")) {
            if (!recipient.notifyOn().isEmpty()) {
                StringJoiner notify = new StringJoiner(",", " NOTIFY=", "");
                for (DsnNotify n : DsnNotify.values()) {   // a fixed order keeps the line stable
                    if (recipient.notifyOn().contains(n)) {
                        notify.add(n.name());
                    }
                }
                line.append(notify);
            }
            recipient.originalRecipient().ifPresent(orcpt -> {
                int semicolon = orcpt.indexOf(';');
                String type = semicolon > 0 ? orcpt.substring(0, semicolon) : "rfc822";
                line.append(" ORCPT=").append(type).append(';').append(xtext(orcpt.substring(semicolon + 1)));
            });
        }
        return line.toString();
    }

    /** RFC 6531: non-ASCII addresses always need SMTPUTF8; UTF-8 headers need it when the message really has them. */
    static boolean needsSmtpUtf8(OutboundMessage message) {
        if (!message.sender().isAscii() || message.recipients().stream().anyMatch(r -> !r.address().isAscii())) {
            return true;
        }
        return message.parameters().smtpUtf8() && hasEightBit(message.content(), headerLength(message.content()));
    }

    private static boolean sendsEightBit(OutboundMessage message) {
        return message.parameters().body() == MailParameters.BodyType.EIGHT_BIT_MIME;
    }

    /** SIZE with a positive value is a limit; SIZE alone or SIZE 0 means none (RFC 1870). */
    static OptionalLong sizeLimit(SessionFacts server) {
        String value = server.extensions().getOrDefault("SIZE", "").strip();
        try {
            long limit = value.isEmpty() ? 0 : Long.parseLong(value);
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();   // a garbled SIZE is no reason to refuse; the server still checks
        }
    }

    /** RFC 3461 4: xtext, applied to the UTF-8 bytes so that non-ASCII input still yields valid xtext. */
    static String xtext(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(UTF_8)) {
            int c = b & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static int headerLength(byte[] content) {
        for (int i = 0; i + 3 < content.length; i++) {
            if (content[i] == '\r' && content[i + 1] == '\n' && content[i + 2] == '\r' && content[i + 3] == '\n') {
                return i;
            }
        }
        return content.length;
    }

    private static boolean hasEightBit(byte[] content, int length) {
        for (int i = 0; i < length; i++) {
            if (content[i] < 0) {
                return true;
            }
        }
        return false;
    }
}
