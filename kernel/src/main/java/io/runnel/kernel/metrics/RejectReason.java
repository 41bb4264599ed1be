package io.runnel.kernel.metrics;

import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import java.util.Locale;
import java.util.Optional;

/** Why a message was refused at reception, read from the reply the client got (RFC 3463 subjects). */
public enum RejectReason {
    /** 4.3.1: the spool is full or cannot be written. */
    STORAGE,
    /** Any other 4xx: a scanner, signer or plugin unavailable, a local error. */
    TEMPFAIL,
    /** 5.3.4: larger than the listener's max_message_size. */
    SIZE,
    /** 5.6.x: malformed content, such as bare CR or LF line endings. */
    CONTENT,
    /** 5.7.x: refused by policy (a scanner's verdict, a rule). */
    POLICY,
    /** Any other 5xx. */
    OTHER;

    public static RejectReason of(SmtpReply reply) {
        Optional<EnhancedStatus> status = reply.enhancedStatus();
        int subject = status.map(EnhancedStatus::subject).orElse(0);
        int detail = status.map(EnhancedStatus::detail).orElse(0);
        if (reply.isTransient()) {
            return subject == 3 && detail == 1 ? STORAGE : TEMPFAIL;
        }
        if (subject == 3 && detail == 4) {
            return SIZE;
        }
        return subject == 6 ? CONTENT : subject == 7 ? POLICY : OTHER;
    }

    /** The label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
