package io.runnel.api.filter;

import io.runnel.api.smtp.SmtpReply;
import java.util.Objects;

/**
 * What a {@link MessageFilter} decides about a message. Immutable.
 *
 * @since API 1.0
 */
public sealed interface Verdict {

    /** Accept the message: later filters still run. */
    static Verdict accept() {
        return Accept.INSTANCE;
    }

    /** Let the message through. */
    record Accept() implements Verdict {
        static final Accept INSTANCE = new Accept();
    }

    /** Refuse the message permanently; {@code reply} is sent to the client and must be 5xx. */
    record Reject(SmtpReply reply) implements Verdict {
        public Reject {
            if (!Objects.requireNonNull(reply, "reply").isPermanent()) {
                throw new IllegalArgumentException("a rejection needs a 5xx reply, got " + reply.code());
            }
        }
    }

    /** Refuse the message for now; {@code reply} is sent to the client and must be 4xx. */
    record TempFail(SmtpReply reply) implements Verdict {
        public TempFail {
            if (!Objects.requireNonNull(reply, "reply").isTransient()) {
                throw new IllegalArgumentException("a temporary failure needs a 4xx reply, got " + reply.code());
            }
        }
    }

    /** Accept the message but hold it in quarantine instead of delivering it; {@code reason} is for operators. */
    record Quarantine(String reason) implements Verdict {
        public Quarantine {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
