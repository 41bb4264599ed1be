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
 * and the {@code [rules]} settings. Immutable; a reload builds a new one and swaps it in whole.
 */
public record RuleSet(RulesConfig config, Optional<CompiledScript> global, Map<String, CompiledScript> tenants) {

    public RuleSet {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(global, "global");
        tenants = Map.copyOf(tenants);
    }

    public static RuleSet none(RulesConfig config) {
        return new RuleSet(config, Optional.empty(), Map.of());
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
        List<CompiledScript> scripts = new ArrayList<>();
        global.ifPresent(scripts::add);
        scripts.addAll(new TreeMap<>(tenants).values());
        return scripts;
    }

    public boolean hasReceptionRules(Optional<String> tenant) {
        return scriptsFor(tenant).stream().anyMatch(s -> !s.reception().isEmpty());
    }

    /** True when any script could change reception for some message (cheap check for the no-rules path). */
    public boolean anyReceptionRules() {
        return all().stream().anyMatch(s -> !s.reception().isEmpty());
    }

    public boolean anyEgressRules() {
        return all().stream().anyMatch(s -> !s.egress().isEmpty());
    }

    public boolean hasOutcomeRules(Optional<String> tenant) {
        return scriptsFor(tenant).stream().anyMatch(s -> !s.outcome().isEmpty());
    }

    /** The loaded files, for logs and reports. */
    public List<String> files() {
        return all().stream().map(CompiledScript::file).toList();
    }
}
