package io.runnel.kernel.smtp.client;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.Recipient;
import java.util.List;
import java.util.Objects;

/**
 * One message to send over an {@link SmtpConnection}.
 *
 * @param sender     reverse path; {@link EmailAddress#NULL_SENDER} for {@code <>}
 * @param recipients forward paths with their DSN options, in RCPT order (their state is ignored)
 * @param parameters BODY, SMTPUTF8, RET and ENVID as received
 * @param content    the message, CRLF line endings, not dot-stuffed; not copied, do not modify while sending
 */
public record OutboundMessage(EmailAddress sender, List<Recipient> recipients, MailParameters parameters, byte[] content) {

    public OutboundMessage {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(content, "content");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
    }
}
