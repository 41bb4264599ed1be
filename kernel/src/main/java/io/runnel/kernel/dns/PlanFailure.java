package io.runnel.kernel.dns;

import io.runnel.api.smtp.SmtpReply;
import java.util.Objects;

/**
 * No host to deliver to. The reply goes into logs and bounces as it is: 5xx bounces the recipient, 4xx defers it.
 *
 * @param domain the recipient domain
 * @param reply  why, e.g. {@code 556 5.1.10} for a null MX, {@code 550 5.1.2} for NXDOMAIN, {@code 451 4.4.3} when
 *               DNS could not answer
 */
public record PlanFailure(String domain, SmtpReply reply) implements PlanResult {

    public PlanFailure {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(reply, "reply");
        if (reply.isPositive()) {
            throw new IllegalArgumentException("a failure needs a 4xx or 5xx reply: " + reply);
        }
    }

    /** True when retrying cannot help: bounce. */
    public boolean isPermanent() {
        return reply.isPermanent();
    }
}
