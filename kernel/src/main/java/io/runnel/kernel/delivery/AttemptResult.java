package io.runnel.kernel.delivery;

import io.runnel.kernel.message.MessageMeta;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a message after one delivery attempt to one domain.
 *
 * @param meta     the updated metadata to store
 * @param outcomes one entry per recipient of the attempted domain
 * @param retryAt  when the domain's still-pending recipients are due again; empty when none remain
 * @param finished no recipient of the message (any domain) is pending: it may leave the spool once logged
 */
public record AttemptResult(MessageMeta meta, List<RecipientOutcome> outcomes, Optional<Instant> retryAt, boolean finished) {
    public AttemptResult {
        Objects.requireNonNull(meta, "meta");
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(retryAt, "retryAt");
    }
}
