package io.runnel.kernel.rules;

import io.runnel.api.smtp.SmtpReply;
import java.util.Objects;
import java.util.Optional;

/**
 * What outcome rules decided for one recipient's failed attempt.
 *
 * @param reply   a replacement reply (a bounce) instead of the one received
 * @param requeue a pool to retry through at once
 */
public record OutcomeDecision(Optional<SmtpReply> reply, Optional<String> requeue) {

    public static final OutcomeDecision NONE = new OutcomeDecision(Optional.empty(), Optional.empty());

    public OutcomeDecision {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(requeue, "requeue");
    }
}
