package io.runnel.kernel.delivery;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.message.MailParameters;
import java.util.List;
import java.util.Objects;

/**
 * A DSN ready to be queued: its envelope and its message. The message array is owned by this record; do not
 * change it ({@code equals} compares it by identity, as for any record holding an array).
 *
 * @param recipient  who gets the DSN: the original sender
 * @param parameters BODY=8BITMIME when the message holds 8-bit octets, SMTPUTF8 when the recipient needs it
 * @param reported   the recipients the DSN reports on, after NOTIFY filtering, in report order
 * @param message    the whole RFC 5322 message, CRLF line endings
 */
public record ComposedDsn(EmailAddress recipient, MailParameters parameters, List<EmailAddress> reported, byte[] message) {

    public ComposedDsn {
        Objects.requireNonNull(recipient, "recipient");
        if (recipient.isNullSender()) {
            throw new IllegalArgumentException("a DSN is never sent to <>");
        }
        Objects.requireNonNull(parameters, "parameters");
        reported = List.copyOf(reported);
        if (reported.isEmpty()) {
            throw new IllegalArgumentException("a DSN reports at least one recipient");
        }
        Objects.requireNonNull(message, "message");
    }

    /** The reverse path of every DSN: {@code <>}, so a DSN never causes another (RFC 3461 6.2, RFC 5321 4.5.5). */
    public EmailAddress sender() {
        return EmailAddress.NULL_SENDER;
    }
}
