package io.runnel.kernel.report;

import io.runnel.api.smtp.EnhancedStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * One recipient an inbound bounce reports as failed.
 *
 * @param recipient  the address as the bounce names it (RFC 3464 Final- or Original-Recipient, or found in the text)
 * @param code       the SMTP reply code of the remote server, when the bounce quotes one
 * @param status     the enhanced status code (RFC 3463), from the reply or the report's Status field
 * @param diagnostic the remote server's text (or the bounce's explanation), code and status removed
 * @param remoteMta  the server that refused, when the report names it
 */
public record FailedRecipient(String recipient, Optional<Integer> code, Optional<EnhancedStatus> status,
                              String diagnostic, Optional<String> remoteMta) {

    public FailedRecipient {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(diagnostic, "diagnostic");
        Objects.requireNonNull(remoteMta, "remoteMta");
    }

    /** The reply code to log: the quoted one, else one that fits the status class (a bounce without either is permanent). */
    public int replyCode() {
        return code.orElseGet(() -> status.map(s -> s.statusClass() == 4 ? 450 : s.statusClass() == 2 ? 250 : 550).orElse(550));
    }
}
