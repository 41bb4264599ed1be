package io.runnel.kernel.smtp.server;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import java.util.Map;
import java.util.Optional;

/** One parsed SMTP command line. */
sealed interface SmtpCommand {

    record Ehlo(String domain) implements SmtpCommand {
    }

    record Helo(String domain) implements SmtpCommand {
    }

    /** MAIL FROM with its ESMTP parameters, keys upper-cased, values as given (null for a bare keyword). */
    record Mail(EmailAddress sender, Map<String, String> parameters) implements SmtpCommand {
    }

    /** RCPT TO with its ESMTP parameters, keys upper-cased. */
    record Rcpt(EmailAddress recipient, Map<String, String> parameters) implements SmtpCommand {
    }

    record Data() implements SmtpCommand {
    }

    record Bdat(long size, boolean last) implements SmtpCommand {
    }

    record Rset() implements SmtpCommand {
    }

    record Noop() implements SmtpCommand {
    }

    record Quit() implements SmtpCommand {
    }

    record Vrfy() implements SmtpCommand {
    }

    record Help() implements SmtpCommand {
    }

    record StartTls() implements SmtpCommand {
    }

    /** AUTH mechanism [initial-response]. */
    record Auth(String mechanism, Optional<String> initialResponse) implements SmtpCommand {
    }

    /** A line that is not a valid command; {@code reply} says why. */
    record Invalid(SmtpReply reply) implements SmtpCommand {
    }
}
