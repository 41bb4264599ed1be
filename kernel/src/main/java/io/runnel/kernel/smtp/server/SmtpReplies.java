package io.runnel.kernel.smtp.server;

import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.ingest.ReceptionRefused;
import io.runnel.kernel.spool.SpoolException;
import java.util.concurrent.CompletionException;

/** The listener's fixed replies, and the one place internal failures become wire replies (bland, never echoing). */
final class SmtpReplies {

    static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok");
    static final SmtpReply SENDER_OK = SmtpReply.of(250, "2.1.0", "Sender ok");
    static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, "2.1.5", "Recipient ok");
    static final SmtpReply START_DATA = SmtpReply.of(354, "End data with <CR><LF>.<CR><LF>");
    static final SmtpReply VRFY = SmtpReply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    static final SmtpReply HELP = SmtpReply.of(214, "2.0.0",
            "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH");
    static final SmtpReply READY_FOR_TLS = SmtpReply.of(220, "2.0.0", "Ready to start TLS");
    static final SmtpReply AUTH_OK = SmtpReply.of(235, "2.7.0", "Authentication successful");

    static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.6", "Line too long");
    static final SmtpReply BARE_LF_IN_COMMAND = SmtpReply.of(500, "5.5.2", "Command lines must end with <CR><LF>");
    static final SmtpReply SEND_HELO_FIRST = SmtpReply.of(503, "5.5.1", "Send EHLO or HELO first");
    static final SmtpReply NESTED_MAIL = SmtpReply.of(503, "5.5.1", "Sender already given");
    static final SmtpReply NEED_MAIL = SmtpReply.of(503, "5.5.1", "Need MAIL command");
    static final SmtpReply NEED_RCPT = SmtpReply.of(554, "5.5.1", "No valid recipients");
    static final SmtpReply DATA_AFTER_BDAT = SmtpReply.of(503, "5.5.1", "DATA cannot follow BDAT in one transaction");
    static final SmtpReply PARAMETERS_NEED_EHLO = SmtpReply.of(555, "5.5.4", "ESMTP parameters need EHLO");
    static final SmtpReply NEEDS_SMTPUTF8 = SmtpReply.of(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
    static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Too many recipients");
    static final SmtpReply RELAY_DENIED = SmtpReply.of(550, "5.7.1", "Relaying denied");
    static final SmtpReply MESSAGE_TOO_BIG = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    static final SmtpReply BARE_LINE_ENDING = SmtpReply.of(550, "5.6.0", "Message contains bare CR or LF line endings");
    static final SmtpReply TLS_NOT_AVAILABLE = SmtpReply.of(502, "5.5.1", "STARTTLS not available");
    static final SmtpReply TLS_ALREADY_ACTIVE = SmtpReply.of(503, "5.5.1", "TLS already active");
    static final SmtpReply TLS_IN_TRANSACTION = SmtpReply.of(503, "5.5.1", "STARTTLS not allowed during a mail transaction");
    static final SmtpReply AUTH_NOT_AVAILABLE = SmtpReply.of(502, "5.5.1", "AUTH not available");
    static final SmtpReply AUTH_NEEDS_TLS = SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    static final SmtpReply ALREADY_AUTHENTICATED = SmtpReply.of(503, "5.5.1", "Already authenticated");
    static final SmtpReply AUTH_IN_TRANSACTION = SmtpReply.of(503, "5.5.1", "AUTH not allowed during a mail transaction");
    static final SmtpReply AUTH_MECHANISM_UNKNOWN = SmtpReply.of(504, "5.5.4", "Unrecognized authentication type");
    static final SmtpReply AUTH_CANCELLED = SmtpReply.of(501, "5.0.0", "Authentication cancelled");
    static final SmtpReply AUTH_UNDECODABLE = SmtpReply.of(501, "5.5.2", "Cannot decode response");
    static final SmtpReply AUTH_FAILED = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");
    static final SmtpReply AUTH_BUSY = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
    static final SmtpReply AUTH_LOCKED = SmtpReply.of(454, "4.7.0", "Too many authentication failures, try again later");

    static final SmtpReply STORAGE_FULL = SmtpReply.of(452, "4.3.1", "Insufficient system storage");
    static final SmtpReply LOCAL_ERROR = SmtpReply.of(451, "4.3.0", "Local error in processing");

    private SmtpReplies() {
    }

    static SmtpReply closing(String hostname) {
        return SmtpReply.of(221, "2.0.0", hostname + " Bye");
    }

    static SmtpReply idleTimeout(String hostname) {
        return SmtpReply.of(421, "4.4.2", hostname + " Idle timeout, closing connection");
    }

    static SmtpReply tooManyErrors(String hostname) {
        return SmtpReply.of(421, "4.7.0", hostname + " Too many errors, closing connection");
    }

    static SmtpReply tooManyConnections(String hostname) {
        return SmtpReply.of(421, "4.3.2", hostname + " Too many connections, try again later");
    }

    static SmtpReply tooManyConnectionsFrom(String hostname, Object client) {
        return SmtpReply.of(421, "4.7.0", hostname + " Too many connections from " + client + ", try again later");
    }

    static SmtpReply connectingTooFast(String hostname, Object client) {
        return SmtpReply.of(421, "4.7.0", hostname + " Too many connections from " + client + " per unit of time, try again later");
    }

    static SmtpReply tooMuchMail(Object client) {
        return SmtpReply.of(450, "4.7.1", "Too much mail from " + client + ", try again later");
    }

    static SmtpReply tooManyRecipientsFrom(Object client) {
        return SmtpReply.of(450, "4.7.1", "Too many recipients from " + client + ", try again later");
    }

    static SmtpReply tooManyCommands(String hostname) {
        return SmtpReply.of(421, "4.7.0", hostname + " Too many commands, closing connection");
    }

    static SmtpReply dataTimeout(String hostname) {
        return SmtpReply.of(421, "4.4.2", hostname + " Message content arrives too slowly, closing connection");
    }

    static SmtpReply talkedBeforeGreeting(String hostname) {
        return SmtpReply.of(554, "5.5.1", hostname + " Protocol error: client talked before the greeting");
    }

    static SmtpReply queued(Object id) {
        return SmtpReply.of(250, "2.0.0", "Ok: queued as " + id);
    }

    static SmtpReply chunkReceived(long octets) {
        return SmtpReply.of(250, "2.0.0", octets + " octets received");
    }

    /** A failed spool write or other internal failure, as the client sees it. */
    static SmtpReply forFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ReceptionRefused refused) {
            return refused.reply();
        }
        if (cause instanceof SpoolException.SpoolFull || cause instanceof SpoolException.SpoolUnavailable) {
            return STORAGE_FULL;
        }
        return LOCAL_ERROR;
    }
}
