package io.runnel.kernel.delivery;

import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.EgressLimits;
import io.runnel.kernel.reload.Live;
import java.util.concurrent.CompletableFuture;

/**
 * Sets the limits of a ready queue (one egress source, one destination site) from the configured
 * {@code [delivery]} ones: tenant rules' {@code egress} phase today, shaping later. Called when the queue is set up
 * and again after each reload; until it completes the configured limits apply.
 */
public interface LimitsOverride {

    /**
     * @param domain the domain whose message set the queue up
     * @param site   the destination site (sorted MX host set, or the route)
     */
    CompletableFuture<EgressLimits> limitsFor(Live live, String domain, String site, String source, String pool,
                                              DeliveryConfig.Limits configured);
}
