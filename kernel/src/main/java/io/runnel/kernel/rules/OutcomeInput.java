package io.runnel.kernel.rules;

import io.runnel.api.smtp.SmtpReply;
import java.util.Objects;
import java.util.Optional;

/** One recipient's failed attempt, as outcome rules see it. */
public record OutcomeInput(SmtpReply reply, String recipient, String domain, Optional<String> tenant, String pool,
                           int attempts) {
    public OutcomeInput {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(pool, "pool");
    }
}
