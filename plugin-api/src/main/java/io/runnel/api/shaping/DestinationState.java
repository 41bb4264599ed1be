package io.runnel.api.shaping;

import java.util.Objects;

/**
 * A snapshot of one destination site, taken when the kernel is about to send to it. Immutable; safe to keep.
 *
 * @param site             the site key (MX rollup, e.g. {@code mx.example.net})
 * @param inFlight         connections open to the site right now
 * @param recentDeliveries deliveries that succeeded in the recent window
 * @param recentTransient  attempts that ended in a 4xx or a connection failure in the recent window
 * @param suspended        whether the site is suspended now
 * @since API 1.0
 */
public record DestinationState(String site, int inFlight, int recentDeliveries, int recentTransient,
                               boolean suspended) {

    public DestinationState {
        Objects.requireNonNull(site, "site");
        if (inFlight < 0 || recentDeliveries < 0 || recentTransient < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
