package io.runnel.api.sign;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.mail.MessageView;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message to sign at reception, before it is spooled.
 *
 * @param message        the message
 * @param sender         the envelope sender ({@link EmailAddress#NULL_SENDER} for bounces)
 * @param tenant         the tenant the message belongs to, when known
 * @param signingDomains domains to sign for, when chosen by rules; empty means the signer decides (typically the
 *                       From header's domain)
 * @param selector       the key selector to sign with, when chosen by rules; empty means every key of the domain
 *                       (since API 1.1; signers written for 1.0 ignore it)
 * @since API 1.0
 */
public record SigningRequest(MessageView message, EmailAddress sender, Optional<String> tenant,
                             List<String> signingDomains, Optional<String> selector) {
    public SigningRequest {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(tenant, "tenant");
        signingDomains = List.copyOf(signingDomains);
        Objects.requireNonNull(selector, "selector");
    }

    /** A request without a chosen selector (the API 1.0 constructor). */
    public SigningRequest(MessageView message, EmailAddress sender, Optional<String> tenant, List<String> signingDomains) {
        this(message, sender, tenant, signingDomains, Optional.empty());
    }
}
