package io.runnel.kernel.config;

/** The limits of one ready queue that rules (and later, shaping) may override. */
public record EgressLimits(int connectionLimit, int maxDeliveriesPerConnection, int maxReady) {

    public EgressLimits {
        if (connectionLimit < 1 || maxDeliveriesPerConnection < 1 || maxReady < 1) {
            throw new IllegalArgumentException("egress limits must be positive");
        }
    }

    public static EgressLimits of(DeliveryConfig.Limits limits) {
        return new EgressLimits(limits.connectionLimit(), limits.maxDeliveriesPerConnection(), limits.maxReady());
    }
}
