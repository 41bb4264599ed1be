package io.runnel.kernel.rules;

import io.runnel.kernel.config.RulesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rules in force: the global script, each tenant's script (by tenant name, from {@code rules/<tenant>.groovy}),
 * and the {@code [rules]} settings. Immutable; a reload builds a new one and swaps it in whole. What the hot path
 * asks ("any reception rules at all?") is worked out once, here.
 */
public final class RuleSet {

    private final RulesConfig config;
    private final Optional<CompiledScript> global;
    private final Map<String, CompiledScript> tenants;
    private final List<CompiledScript> all;
    private final boolean anyReception;
    private final boolean anyEgress;

    RuleSet(RulesConfig config, Optional<CompiledScript> global, Map<String, CompiledScript> tenants) {
        this.config = Objects.requireNonNull(config, "config");
        this.global = Objects.requireNonNull(global, "global");
        this.tenants = Map.copyOf(tenants);
        List<CompiledScript> scripts = new ArrayList<>();
        global.ifPresent(scripts::add);
        scripts.addAll(new TreeMap<>(tenants).values());
        this.all = List.copyOf(scripts);
        this.anyReception = all.stream().anyMatch(s -> !s.reception().isEmpty());
        this.anyEgress = all.stream().anyMatch(s -> !s.egress().isEmpty());
    }

    public static RuleSet none(RulesConfig config) {
        return new RuleSet(config, Optional.empty(), Map.of());
    }

    public RulesConfig config() {
        return config;
    }

    Optional<CompiledScript> global() {
        return global;
    }

    Map<String, CompiledScript> tenants() {
        return tenants;
    }

    /** The scripts whose reception and outcome rules apply to a message of {@code tenant}: global first. */
    List<CompiledScript> scriptsFor(Optional<String> tenant) {
        List<CompiledScript> scripts = new ArrayList<>(2);
        global.ifPresent(scripts::add);
        tenant.map(tenants::get).ifPresent(scripts::add);
        return scripts;
    }

    /** Every script, global first, then tenants by name: each may set egress limits. */
    List<CompiledScript> all() {
        return all;
    }

    /** False when no script has a reception rule: reception then skips the rule threads. */
    public boolean anyReceptionRules() {
        return anyReception;
    }

    public boolean anyEgressRules() {
        return anyEgress;
    }

    public boolean hasOutcomeRules(Optional<String> tenant) {
        return global.map(s -> !s.outcome().isEmpty()).orElse(false)
                || tenant.map(tenants::get).map(s -> !s.outcome().isEmpty()).orElse(false);
    }

    /** The loaded files, for logs and reports. */
    public List<String> files() {
        return all.stream().map(CompiledScript::file).toList();
    }
}
