package io.runnel.kernel.delivery;

import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.config.QueueSettings;
import io.runnel.kernel.delivery.RecipientOutcome.Kind;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.queue.RetryPolicy;
import io.runnel.kernel.report.BounceClassifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the replies of one attempt into recipient states, a retry time and the record of what happened:
 * 2xx delivered, 5xx bounced, 4xx deferred with backoff until {@code max_age}, then expired; failures get their
 * bounce classification. Pure logic: no I/O.
 */
public final class Outcomes {

    private final RetryPolicy retry;
    private final BounceClassifier classifier;

    public Outcomes(RetryPolicy retry, BounceClassifier classifier) {
        this.retry = retry;
        this.classifier = classifier;
    }

    /**
     * An attempt that reached the recipients of {@code domain}: {@code replies} gives each attempted recipient its
     * reply, and null for a pending one left out of the transaction (it stays pending, due again at once). The
     * attempt counts.
     */
    public AttemptResult afterAttempt(MessageMeta meta, String domain, Function<Recipient, SmtpReply> replies,
                                      Instant now, QueueSettings settings) {
        return apply(meta, domain, replies, now, settings, meta.attempts() + 1);
    }

    /**
     * No connection could be made, so no recipient got a try: every recipient of {@code domain} is deferred with
     * {@code reply}, but the attempt count stays (a connection failure does not burn attempts).
     */
    public AttemptResult withoutAttempt(MessageMeta meta, String domain, SmtpReply reply, Instant now, QueueSettings settings) {
        if (reply.isPositive()) {
            throw new IllegalArgumentException("a failure needs a negative reply: " + reply);
        }
        return apply(meta, domain, r -> reply, now, settings, meta.attempts());
    }

    private AttemptResult apply(MessageMeta meta, String domain, Function<Recipient, SmtpReply> replies, Instant now,
                                QueueSettings settings, int attempts) {
        boolean expired = retry.expired(meta.receivedAt(), now, settings);
        List<Recipient> updated = new ArrayList<>(meta.recipients().size());
        List<RecipientOutcome> outcomes = new ArrayList<>();
        boolean domainPending = false;
        boolean untried = false;
        for (Recipient r : meta.recipients()) {
            if (r.state() != RecipientState.PENDING || !r.address().domain().equals(domain)) {
                updated.add(r);
                continue;
            }
            SmtpReply reply = replies.apply(r);
            if (reply == null) {
                updated.add(r);
                untried = true;
                continue;
            }
            Kind kind;
            if (reply.isPositive()) {
                kind = Kind.DELIVERED;
            } else if (reply.isPermanent()) {
                kind = Kind.BOUNCED;
            } else if (expired) {
                kind = Kind.EXPIRED;
            } else {
                kind = Kind.DEFERRED;
            }
            Recipient next = r.withState(stateOf(kind));
            updated.add(next);
            outcomes.add(new RecipientOutcome(next, kind, kind == Kind.EXPIRED ? expiredReply(reply, attempts) : reply,
                    category(kind, reply)));
            domainPending |= kind == Kind.DEFERRED;
        }
        if (outcomes.isEmpty()) {
            throw new IllegalStateException(meta.id() + " has no pending recipient at " + domain);
        }
        Duration delay = attempts > meta.attempts() ? retry.delayAfter(attempts, settings)
                : retry.delayWithoutAttempt(attempts, meta.receivedAt(), now, settings);
        Optional<Instant> retryAt = untried ? Optional.of(now) : domainPending ? Optional.of(now.plus(delay)) : Optional.empty();
        MessageMeta next = new MessageMeta(meta.id(), meta.receivedAt(), meta.sender(), updated, meta.parameters(),
                meta.reception(), meta.tenant(), meta.campaign(), attempts, retryAt.orElse(meta.dueAt()), meta.bodySize(),
                attempts > meta.attempts() ? Optional.of(now) : meta.lastAttempt(), meta.logHeaders(), meta.pool(),
                meta.metadata());
        return new AttemptResult(next, outcomes, retryAt, next.finished());
    }

    private String category(Kind kind, SmtpReply reply) {
        return switch (kind) {
            case DELIVERED -> BounceClassifier.UNCATEGORIZED;
            case BOUNCED, DEFERRED -> classifier.classify(reply);
            case EXPIRED -> classifier.classifyExpiry(reply);
        };
    }

    private static RecipientState stateOf(Kind kind) {
        return switch (kind) {
            case DELIVERED -> RecipientState.DELIVERED;
            case DEFERRED -> RecipientState.PENDING;
            case BOUNCED, EXPIRED -> RecipientState.FAILED;
        };
    }

    /** RFC 3463 4.4.7: delivery time expired; the last transient reply stays in the text. */
    private static SmtpReply expiredReply(SmtpReply last, int attempts) {
        return SmtpReply.of(451, "4.4.7", "Message expired after " + attempts + " attempts; last error: " + last);
    }
}
