package io.runnel.kernel.delivery;

import io.runnel.api.smtp.SmtpReply;

/** No host of a destination could even be tried (no addresses, or their lookup failed): the reply says why and whether to retry. */
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
