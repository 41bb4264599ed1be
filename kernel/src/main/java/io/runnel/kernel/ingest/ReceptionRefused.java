package io.runnel.kernel.ingest;

import io.runnel.api.smtp.SmtpReply;

/** Reception decided not to take a message (a signer failed, a rule refused it): the reply says what to tell the client. */
public final class ReceptionRefused extends Exception {

    private final SmtpReply reply;

    public ReceptionRefused(SmtpReply reply, String reason) {
        super(reason, null, false, false);
        this.reply = reply;
    }

    public SmtpReply reply() {
        return reply;
    }
}
