package io.runnel.kernel.message;

import io.runnel.api.mail.EmailAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One forward path with its RFC 3461 options and its delivery state.
 *
 * @param address          the recipient
 * @param notifyOn         NOTIFY= options as given; empty when the client gave none (then FAILURE,DELAY apply)
 * @param originalRecipient ORCPT= as given, still xtext-decoded ({@code rfc822;user@example.com})
 * @param state            where delivery to this recipient stands
 */
public record Recipient(EmailAddress address, Set<DsnNotify> notifyOn, Optional<String> originalRecipient, RecipientState state) {

    public Recipient {
        Objects.requireNonNull(address, "address");
        if (address.isNullSender()) {
            throw new IllegalArgumentException("a recipient cannot be <>");
        }
        notifyOn = Set.copyOf(notifyOn);
        if (notifyOn.contains(DsnNotify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other options");
        }
        Objects.requireNonNull(originalRecipient, "originalRecipient");
        Objects.requireNonNull(state, "state");
    }

    /** A recipient as accepted at RCPT time, not yet attempted. */
    public static Recipient pending(EmailAddress address, Set<DsnNotify> notifyOn, Optional<String> originalRecipient) {
        return new Recipient(address, notifyOn, originalRecipient, RecipientState.PENDING);
    }

    /** This recipient, now in {@code next}. */
    public Recipient withState(RecipientState next) {
        return new Recipient(address, notifyOn, originalRecipient, next);
    }

    /** RFC 3461 NOTIFY values. */
    public enum DsnNotify { NEVER, SUCCESS, FAILURE, DELAY }

    /** Delivery state of one recipient. */
    public enum RecipientState { PENDING, DELIVERED, FAILED }
}
