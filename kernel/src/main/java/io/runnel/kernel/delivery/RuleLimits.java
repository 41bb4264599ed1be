package io.runnel.kernel.delivery;

import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.EgressLimits;
import io.runnel.kernel.reload.Live;
import io.runnel.kernel.rules.RuleEngine;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;

/** Ready-queue limits from the rules' {@code egress} phase; a failed rule leaves the configured limits. */
final class RuleLimits implements LimitsOverride {

    private final RuleEngine rules;

    @Inject
    RuleLimits(RuleEngine rules) {
        this.rules = rules;
    }

    @Override
    public CompletableFuture<EgressLimits> limitsFor(Live live, String domain, String site, String source, String pool,
                                                     DeliveryConfig.Limits configured) {
        return rules.egress(live.rules(), domain, site, source, pool, configured)
                .exceptionally(failure -> EgressLimits.of(configured));
    }
}
