package io.runnel.kernel.reload;

import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.rules.RuleSet;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live configuration: the parts of runnel.toml that apply without a restart (reception, scanning, delivery,
 * queues, egress, tenants, routes) and the compiled rules. Until the rules are loaded at start the rule set is
 * empty. Only the reloader swaps it.
 */
public final class LiveConfig {

    private final AtomicReference<Live> current;

    @Inject
    LiveConfig(RunnelConfig config) {
        current = new AtomicReference<>(new Live(config, RuleSet.none(config.rules()), 0));
    }

    /** The configuration for the next message or attempt. */
    public Live current() {
        return current.get();
    }

    void swap(RunnelConfig config, RuleSet rules) {
        current.updateAndGet(old -> new Live(config, rules, old.generation() + 1));
    }
}
