package io.runnel.kernel.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code [reception]} section: how a received message finds its tenant and campaign, and how signing
 * plugins (DKIM) are called before the spool commit.
 *
 * @param tenantHeader    header naming the message's tenant
 * @param campaignHeader  header naming the message's campaign
 * @param signingTimeout  how long one signer may take for one message
 * @param signingFailure  what a failed or late signer means for the message
 */
public record ReceptionConfig(String tenantHeader, String campaignHeader, Duration signingTimeout,
                              SigningFailure signingFailure) {

    public ReceptionConfig {
        Objects.requireNonNull(tenantHeader, "tenantHeader");
        Objects.requireNonNull(campaignHeader, "campaignHeader");
        Objects.requireNonNull(signingFailure, "signingFailure");
        if (signingTimeout.isZero() || signingTimeout.isNegative()) {
            throw new IllegalArgumentException("signing_timeout must be positive");
        }
    }

    /** A failed signer either refuses the message for now (451 4.3.5) or lets it through unsigned. */
    public enum SigningFailure { TEMPFAIL, CONTINUE }
}
