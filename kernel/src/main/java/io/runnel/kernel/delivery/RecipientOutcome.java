package io.runnel.kernel.delivery;

import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.Recipient;
import java.util.Objects;

/**
 * What one attempt did to one recipient.
 *
 * @param recipient the recipient as it stands after the attempt
 * @param kind      delivered, bounced, deferred (retried later) or expired
 * @param reply     the reply that decided it: the remote server's, or one describing a local failure
 * @param category  the bounce classification of a failure (an expiry's from its last reply); Uncategorized for a delivery
 */
public record RecipientOutcome(Recipient recipient, Kind kind, SmtpReply reply, String category) {

    public RecipientOutcome {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(category, "category");
    }

    /** The log record type each outcome becomes (KumoMTA's names). */
    public enum Kind {
        DELIVERED("Delivery"), BOUNCED("Bounce"), DEFERRED("TransientFailure"), EXPIRED("Expiration");

        private final String recordType;

        Kind(String recordType) {
            this.recordType = recordType;
        }

        public String recordType() {
            return recordType;
        }

        /** Outcomes the sender hears about in a failure DSN. */
        public boolean isFailure() {
            return this == BOUNCED || this == EXPIRED;
        }
    }
}
