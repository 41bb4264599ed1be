package io.runnel.kernel.reload;

import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.rules.RuleSet;
import java.util.Objects;

/**
 * One generation of the live configuration: read once per message (reception) or per attempt (delivery), so each
 * message runs under one consistent configuration even while a reload swaps in the next.
 *
 * @param generation increases with every applied reload
 */
public record Live(RunnelConfig config, RuleSet rules, long generation) {
    public Live {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(rules, "rules");
    }
}
