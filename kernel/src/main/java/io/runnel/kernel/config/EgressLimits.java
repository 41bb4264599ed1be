package io.runnel.kernel.config;

import io.runnel.kernel.shaping.ThrottleSpec;
import java.util.Objects;
import java.util.Optional;

/** The limits of one ready queue that rules (and later, shaping) may override. */
public record EgressLimits(int connectionLimit, int maxDeliveriesPerConnection, int maxReady,
                           Optional<ThrottleSpec> maxMessageRate, Optional<ThrottleSpec> maxConnectionRate) {

    public EgressLimits {
        if (connectionLimit < 1 || maxDeliveriesPerConnection < 1 || maxReady < 1) {
            throw new IllegalArgumentException("egress limits must be positive");
        }
        Objects.requireNonNull(maxMessageRate, "maxMessageRate");
        Objects.requireNonNull(maxConnectionRate, "maxConnectionRate");
    }

    /** Limits without throttles. */
    public EgressLimits(int connectionLimit, int maxDeliveriesPerConnection, int maxReady) {
        this(connectionLimit, maxDeliveriesPerConnection, maxReady, Optional.empty(), Optional.empty());
    }

    public static EgressLimits of(DeliveryConfig.Limits limits) {
        return new EgressLimits(limits.connectionLimit(), limits.maxDeliveriesPerConnection(), limits.maxReady(),
                limits.maxMessageRate(), limits.maxConnectionRate());
    }
}
