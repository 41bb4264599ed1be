package io.runnel.api.delivery;

import io.runnel.api.Experimental;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.mail.MessageView;
import java.util.List;
import java.util.Objects;

/**
 * One message to hand to a {@link DeliveryProtocol}.
 *
 * @param site       the destination site the kernel chose
 * @param sender     the envelope sender
 * @param recipients the recipients to deliver to, at least one
 * @param message    the message; valid only until the returned stage completes
 * @since API 1.0
 */
@Experimental
public record DeliveryRequest(String site, EmailAddress sender, List<EmailAddress> recipients, MessageView message) {

    public DeliveryRequest {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(message, "message");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient is needed");
        }
    }
}
