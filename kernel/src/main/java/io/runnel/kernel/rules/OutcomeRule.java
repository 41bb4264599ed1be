package io.runnel.kernel.rules;

import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import java.util.Optional;

/**
 * The delegate of an {@code outcome { ... }} rule, run for each failed delivery attempt of one recipient (a 4xx
 * or 5xx reply, or a connection failure turned into one). It may turn the reply into a bounce or send the message
 * back through another egress pool.
 */
public final class OutcomeRule {

    private final OutcomeInput input;
    private Optional<SmtpReply> replacement = Optional.empty();
    private Optional<String> requeuePool = Optional.empty();

    OutcomeRule(OutcomeInput input) {
        this.input = input;
    }

    public int getCode() {
        return input.reply().code();
    }

    /** The enhanced status code, e.g. "4.7.1", or empty text when the reply had none. */
    public String getEnhanced() {
        return input.reply().enhancedStatus().map(EnhancedStatus::toString).orElse("");
    }

    /** The reply text, lines joined with a space. */
    public String getText() {
        return String.join(" ", input.reply().lines());
    }

    public boolean getTransient() {
        return input.reply().isTransient();
    }

    public String getRecipient() {
        return input.recipient();
    }

    public String getDomain() {
        return input.domain();
    }

    public String getTenant() {
        return input.tenant().orElse(null);
    }

    /** The pool the attempt went out through. */
    public String getPool() {
        return input.pool();
    }

    /** Attempts so far, this one included. */
    public int getAttempts() {
        return input.attempts();
    }

    /** Turns this failure into a bounce now: 5xx with the same text (a 4.x.y status becomes 5.x.y). */
    public void bounce() {
        SmtpReply reply = input.reply();
        if (reply.isPermanent()) {
            return;
        }
        Optional<EnhancedStatus> status = reply.enhancedStatus()
                .map(s -> new EnhancedStatus(5, s.subject(), s.detail()));
        replacement = Optional.of(new SmtpReply(550, status, reply.lines()));
    }

    /** Bounces with a reply of the rule's choice. */
    public void bounce(int code, String enhanced, String text) {
        if (code < 500 || code > 599) {
            throw new IllegalArgumentException("bounce needs a 5xx code, got " + code);
        }
        replacement = Optional.of(SmtpReply.of(code, enhanced, text));
    }

    /** Tries the recipient again at once through another egress pool (a {@code [[egress.pool]]} name). */
    public void requeue(String pool) {
        requeuePool = Optional.of(QueueLabel.check("pool", pool));
    }

    OutcomeDecision decision() {
        return new OutcomeDecision(replacement, requeuePool);
    }
}
