package io.runnel.kernel.rules;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.smtp.SmtpReply;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the reception rules decided for one message.
 *
 * @param refusal        a 5xx (reject) or 4xx (defer) reply; the message is not spooled
 * @param tenant         the tenant (queue name part, scanning policy, DKIM keys)
 * @param campaign       the campaign (queue name part)
 * @param pool           the egress pool, overriding the tenant's
 * @param headers        the header fields after the rules' edits, in order
 * @param headersChanged true when {@code headers} differ from the received ones
 * @param signingDomains domains to DKIM-sign for; empty: the signer decides (the From domain)
 * @param selector       the DKIM selector to sign with, when the rules chose one
 */
public record ReceptionDecision(Optional<SmtpReply> refusal, Optional<String> tenant, Optional<String> campaign,
                                Optional<String> pool, List<HeaderField> headers, boolean headersChanged,
                                List<String> signingDomains, Optional<String> selector) {

    public ReceptionDecision {
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(pool, "pool");
        headers = List.copyOf(headers);
        signingDomains = List.copyOf(signingDomains);
        Objects.requireNonNull(selector, "selector");
    }

    /** No rule ran: the message goes on as received. */
    public static ReceptionDecision unchanged(ReceptionInput input) {
        return new ReceptionDecision(Optional.empty(), input.tenant(), input.campaign(), Optional.empty(), input.headers(),
                false, List.of(), Optional.empty());
    }
}
