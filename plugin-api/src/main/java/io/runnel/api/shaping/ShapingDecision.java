package io.runnel.api.shaping;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link ShapingStrategy} decides for a destination. Immutable.
 *
 * @since API 1.0
 */
public sealed interface ShapingDecision {

    /** Send now, with at most {@code maxConnections} connections to the site. */
    record SendNow(int maxConnections) implements ShapingDecision {
        public SendNow {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1");
            }
        }
    }

    /** Hold the site's ready queue until {@code until}. */
    record DelayUntil(Instant until) implements ShapingDecision {
        public DelayUntil {
            Objects.requireNonNull(until, "until");
        }
    }

    /** Suspend the site until {@code until}; {@code reason} is shown to operators. */
    record Suspend(String reason, Instant until) implements ShapingDecision {
        public Suspend {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(until, "until");
        }
    }
}
