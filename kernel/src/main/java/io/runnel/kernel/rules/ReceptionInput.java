package io.runnel.kernel.rules;

import io.runnel.api.mail.HeaderField;
import io.runnel.kernel.message.ReceptionFacts;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What reception rules see of a message: the session facts, the envelope, the header fields, and the tenant and
 * campaign found so far (from the tenant selection and the headers).
 */
public record ReceptionInput(ReceptionFacts facts, String sender, List<String> recipients, List<HeaderField> headers,
                             Optional<String> tenant, Optional<String> campaign) {

    public ReceptionInput {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        headers = List.copyOf(headers);
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(campaign, "campaign");
    }
}
