package io.runnel.kernel.delivery;

import io.runnel.api.smtp.SmtpReply;

/** No host of a destination could even be tried (no addresses): a transient failure with its reply. */
final class DestinationUnreachable extends Exception {

    private final SmtpReply reply;

    DestinationUnreachable(SmtpReply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    SmtpReply reply() {
        return reply;
    }
}
