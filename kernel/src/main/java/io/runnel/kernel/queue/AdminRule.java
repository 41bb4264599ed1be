package io.runnel.kernel.queue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's suspension or admin bounce of the mail a selector matches.
 *
 * @param id          server-assigned, stable across restarts
 * @param kind        hold the mail, or bounce it
 * @param selector    which mail
 * @param reason      as given by the operator; bounces put it in their records and DSNs
 * @param createdAt   when it was made
 * @param expiresAt   when it ends by itself; empty for a suspension until resumed
 * @param suppressDsn for bounces: write records but send no DSN
 */
public record AdminRule(String id, Kind kind, QueueSelector selector, String reason, Instant createdAt,
                        Optional<Instant> expiresAt, boolean suppressDsn) {

    public enum Kind { SUSPEND, BOUNCE }

    public AdminRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (kind == Kind.BOUNCE && expiresAt.isEmpty()) {
            throw new IllegalArgumentException("an admin bounce needs an end");
        }
    }

    public boolean activeAt(Instant now) {
        return expiresAt.map(now::isBefore).orElse(true);
    }
}
