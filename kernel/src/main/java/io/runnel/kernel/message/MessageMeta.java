package io.runnel.kernel.message;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.spool.SpoolId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the spool keeps about a message apart from its body: the envelope as received, how it was
 * received, who it belongs to, and its delivery state. The scheduler rewrites this record; the body is never
 * rewritten.
 *
 * @param id          spool key
 * @param receivedAt  when the 250 was about to be sent
 * @param sender      the reverse path; {@link EmailAddress#NULL_SENDER} for {@code <>}
 * @param recipients  forward paths with their DSN options and delivery state, in RCPT order
 * @param parameters  MAIL FROM parameters that travel with the message (BODY, SMTPUTF8, RET, ENVID)
 * @param reception   facts about the SMTP session that handed the message in
 * @param tenant      the tenant the message belongs to, once known
 * @param campaign    the campaign the message belongs to, once known
 * @param attempts    delivery attempts so far
 * @param dueAt       when the next delivery attempt is due
 * @param bodySize    size of the stored body in octets, Received header included
 * @param lastAttempt when delivery was last attempted (a connection that never reached a server is no attempt)
 * @param logHeaders  the header fields {@code [log] headers} names, captured at reception for every record
 * @param pool        the egress pool a rule chose, overriding the tenant's
 * @param metadata    free-form key/value pairs given at injection, in the order given; copied into every log record
 */
public record MessageMeta(
        SpoolId id,
        Instant receivedAt,
        EmailAddress sender,
        List<Recipient> recipients,
        MailParameters parameters,
        ReceptionFacts reception,
        Optional<String> tenant,
        Optional<String> campaign,
        int attempts,
        Instant dueAt,
        long bodySize,
        Optional<Instant> lastAttempt,
        Map<String, String> logHeaders,
        Optional<String> pool,
        Map<String, String> metadata) {

    public MessageMeta {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs at least one recipient");
        }
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(reception, "reception");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        logHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(logHeaders));
        Objects.requireNonNull(pool, "pool");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (attempts < 0 || bodySize < 0) {
            throw new IllegalArgumentException("attempts and bodySize must be >= 0");
        }
    }

    /** Without captured headers: no {@code [log] headers}, or spooled before they were configured. */
    public MessageMeta(SpoolId id, Instant receivedAt, EmailAddress sender, List<Recipient> recipients,
                       MailParameters parameters, ReceptionFacts reception, Optional<String> tenant,
                       Optional<String> campaign, int attempts, Instant dueAt, long bodySize, Optional<Instant> lastAttempt) {
        this(id, receivedAt, sender, recipients, parameters, reception, tenant, campaign, attempts, dueAt, bodySize,
                lastAttempt, Map.of(), Optional.empty(), Map.of());
    }

    /** A message whose pool is its tenant's. */
    public MessageMeta(SpoolId id, Instant receivedAt, EmailAddress sender, List<Recipient> recipients,
                       MailParameters parameters, ReceptionFacts reception, Optional<String> tenant,
                       Optional<String> campaign, int attempts, Instant dueAt, long bodySize, Optional<Instant> lastAttempt,
                       Map<String, String> logHeaders) {
        this(id, receivedAt, sender, recipients, parameters, reception, tenant, campaign, attempts, dueAt, bodySize,
                lastAttempt, logHeaders, Optional.empty(), Map.of());
    }

    /** This message, to leave through {@code pool} from now on. */
    public MessageMeta withPool(String pool) {
        return new MessageMeta(id, receivedAt, sender, recipients, parameters, reception, tenant, campaign, attempts, dueAt,
                bodySize, lastAttempt, logHeaders, Optional.of(pool), metadata);
    }

    /** This message, now belonging to {@code tenant} and {@code campaign}. */
    public MessageMeta withTenancy(Optional<String> tenant, Optional<String> campaign) {
        return new MessageMeta(id, receivedAt, sender, recipients, parameters, reception, tenant, campaign, attempts, dueAt,
                bodySize, lastAttempt, logHeaders, pool, metadata);
    }

    /** True when no recipient is pending any more: the message is done with and may leave the spool. */
    public boolean finished() {
        return recipients.stream().noneMatch(r -> r.state() == Recipient.RecipientState.PENDING);
    }

    /** This message with its recipients in these states. */
    public MessageMeta withRecipients(List<Recipient> recipients) {
        return new MessageMeta(id, receivedAt, sender, recipients, parameters, reception, tenant, campaign, attempts, dueAt,
                bodySize, lastAttempt, logHeaders, pool, metadata);
    }

    /** This message, next due at {@code due}. */
    public MessageMeta withDue(Instant due) {
        return new MessageMeta(id, receivedAt, sender, recipients, parameters, reception, tenant, campaign, attempts, due,
                bodySize, lastAttempt, logHeaders, pool, metadata);
    }
}
