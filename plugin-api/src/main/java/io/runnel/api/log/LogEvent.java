package io.runnel.api.log;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery-log event, with KumoMTA's record field names where they exist. Immutable; safe to keep.
 *
 * @param type      what happened
 * @param id        the message's spool id as text
 * @param sender    the envelope sender ({@link EmailAddress#NULL_SENDER} for bounces)
 * @param recipient the recipient the event is about
 * @param queue     the scheduled queue name, e.g. {@code campaign:tenant@example.com}; empty before queueing
 * @param site      the destination site; empty when there is none (reception, expiration)
 * @param response  the SMTP reply that caused the event, when there was one
 * @param timestamp when it happened (kernel clock)
 * @param tenant    the tenant, when known
 * @param campaign  the campaign, when known
 * @since API 1.0
 */
public record LogEvent(Type type, String id, EmailAddress sender, EmailAddress recipient, String queue, String site,
                       Optional<SmtpReply> response, Instant timestamp, Optional<String> tenant,
                       Optional<String> campaign) {

    /** The kinds of events (KumoMTA {@code RecordType}). */
    public enum Type {
        RECEPTION, DELIVERY, TRANSIENT_FAILURE, BOUNCE, EXPIRATION, ADMIN_BOUNCE, OOB, FEEDBACK, REJECTION
    }

    public LogEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(campaign, "campaign");
    }
}
