package io.runnel.kernel.smtp.client;

import io.runnel.api.smtp.SmtpReply;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The replies of one mail transaction, so each recipient gets exactly one final reply: {@link #replyFor(int)}.
 *
 * @param mailReply   the reply to MAIL; or, when {@code sent} is false, the local reply that kept the message
 *                    from being sent (552 5.3.4 too big, 553 5.6.7 SMTPUTF8 or 554 5.6.3 8BITMIME not offered)
 * @param rcptReplies the reply to each RCPT in recipient order; empty when RCPT was not sent
 * @param dataReply   the reply that decided the accepted recipients: the end-of-data reply, or a refused DATA;
 *                    empty when no recipient was accepted
 * @param sent        whether the transaction went on the wire
 */
public record TransactionResult(SmtpReply mailReply, List<SmtpReply> rcptReplies, Optional<SmtpReply> dataReply,
                                boolean sent) {

    public TransactionResult {
        Objects.requireNonNull(mailReply, "mailReply");
        rcptReplies = List.copyOf(rcptReplies);
        Objects.requireNonNull(dataReply, "dataReply");
        if (mailReply.isPositive() && rcptReplies.isEmpty()) {
            throw new IllegalArgumentException("MAIL was accepted, so every recipient has a RCPT reply");
        }
        if (dataReply.isPresent() && rcptReplies.stream().noneMatch(SmtpReply::isPositive)) {
            throw new IllegalArgumentException("a DATA reply without an accepted recipient");
        }
    }

    /** Nothing was sent: every recipient gets {@code reason}. */
    static TransactionResult notSent(SmtpReply reason) {
        return new TransactionResult(reason, List.of(), Optional.empty(), false);
    }

    /** The reply that decides recipient {@code index} (in the message's recipient order). */
    public SmtpReply replyFor(int index) {
        if (!mailReply.isPositive()) {
            return mailReply;
        }
        SmtpReply rcpt = rcptReplies.get(index);
        if (!rcpt.isPositive()) {
            return rcpt;
        }
        return dataReply.orElseThrow(() -> new IllegalStateException("accepted recipient without a DATA reply"));
    }

    /** How many recipients the end of data accepted. */
    public long deliveredCount() {
        if (dataReply.isEmpty() || dataReply.get().code() / 100 != 2) {
            return 0;
        }
        return rcptReplies.stream().filter(SmtpReply::isPositive).count();
    }
}
