package io.runnel.kernel.delivery;

import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.Recipient;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one recipient, as a DSN reports it (RFC 3464 2.3).
 *
 * @param recipient      the recipient with its NOTIFY and ORCPT options as received
 * @param action         failed or delayed
 * @param status         the RFC 3463 status: 4.x.x or 5.x.x for failed (expiry reports 4.4.7), 4.x.x for delayed
 * @param diagnostic     the remote server's reply, or what went wrong locally
 * @param remoteMta      the host name of the server that gave the reply, when one was reached
 * @param lastAttempt    when delivery was last tried, if it ever was
 * @param willRetryUntil when the message expires; required for delayed, absent for failed
 */
public record RecipientReport(Recipient recipient, Action action, EnhancedStatus status, Diagnostic diagnostic,
                              Optional<String> remoteMta, Optional<Instant> lastAttempt, Optional<Instant> willRetryUntil) {

    public RecipientReport {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(diagnostic, "diagnostic");
        Objects.requireNonNull(remoteMta, "remoteMta");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(willRetryUntil, "willRetryUntil");
        if (status.statusClass() == 2) {
            throw new IllegalArgumentException("a failure or delay report needs a 4.x.x or 5.x.x status: " + status);
        }
        if (action == Action.DELAYED && (status.statusClass() != 4 || willRetryUntil.isEmpty())) {
            throw new IllegalArgumentException("a delayed report needs a 4.x.x status and a will-retry-until date");
        }
        if (action == Action.FAILED && willRetryUntil.isPresent()) {
            throw new IllegalArgumentException("a failed recipient is not retried");
        }
    }

    /**
     * A permanent failure (bounce or expiry) from the reply that decided it: the remote server's reply when a host
     * was reached, otherwise a local diagnostic. The status comes from the reply's enhanced code, else from its class.
     */
    static RecipientReport failed(Recipient recipient, SmtpReply reply, Optional<String> remoteMta, Instant at) {
        EnhancedStatus status = reply.enhancedStatus().orElse(new EnhancedStatus(reply.isPermanent() ? 5 : 4, 0, 0));
        Diagnostic diagnostic = remoteMta.isPresent()
                ? new Diagnostic.Remote(reply) : new Diagnostic.Local(String.join(" ", reply.lines()));
        return new RecipientReport(recipient, Action.FAILED, status, diagnostic, remoteMta, Optional.of(at), Optional.empty());
    }

    /** A delay notice: the message is still being retried until {@code retryUntil}; {@code reply} was the last answer. */
    static RecipientReport delayed(Recipient recipient, SmtpReply reply, Optional<String> remoteMta, Instant at,
                                   Instant retryUntil) {
        EnhancedStatus status = reply.enhancedStatus().filter(e -> e.statusClass() == 4).orElse(new EnhancedStatus(4, 0, 0));
        Diagnostic diagnostic = remoteMta.isPresent() && !reply.isPositive()
                ? new Diagnostic.Remote(reply) : new Diagnostic.Local(String.join(" ", reply.lines()));
        return new RecipientReport(recipient, Action.DELAYED, status, diagnostic, remoteMta, Optional.of(at), Optional.of(retryUntil));
    }

    /** RFC 3464 2.3.3 actions this composer reports; delivered/relayed/expanded are success DSNs, not done yet. */
    public enum Action {
        FAILED("failed"), DELAYED("delayed");

        private final String field;

        Action(String field) {
            this.field = field;
        }

        /** The Action field value. */
        public String field() {
            return field;
        }
    }

    /** Why delivery failed or is delayed. */
    public sealed interface Diagnostic {
        /** The remote server refused: reported as {@code Diagnostic-Code: smtp; ...}. */
        record Remote(SmtpReply reply) implements Diagnostic {
            public Remote {
                Objects.requireNonNull(reply, "reply");
                if (reply.isPositive()) {
                    throw new IllegalArgumentException("a diagnostic reply is 4xx or 5xx: " + reply);
                }
            }
        }

        /** A local reason (no MX, connection refused, expired): reported as {@code Diagnostic-Code: X-Runnel; ...}. */
        record Local(String text) implements Diagnostic {
            public Local {
                Objects.requireNonNull(text, "text");
                if (text.isBlank()) {
                    throw new IllegalArgumentException("a local diagnostic needs text");
                }
            }
        }
    }
}
