package io.runnel.kernel.rules;

import groovy.lang.Closure;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.EgressLimits;
import io.runnel.kernel.config.RunnelConfig;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-tenant Groovy rules: loads rule sets (compiled once, cached by source hash) and runs their phases for
 * messages and ready queues, off the event loops with a deadline per call. A rule that throws or runs too long
 * fails the call with a {@link RuleException} naming file and line; callers turn that into 451 4.3.0 for the
 * message (or keep the defaults, for egress limits).
 */
public final class RuleEngine implements Service {

    private static final Logger log = LoggerFactory.getLogger(RuleEngine.class);

    private final int threads;
    private RuleRunner runner;
    private RuleLoader loader;

    @Inject
    RuleEngine(RunnelConfig config) {
        this.threads = config.rules().threads();
    }

    /** Compiles and loads every rule script without running a daemon ({@code runnel check-config}); the files loaded. */
    public static List<String> check(io.runnel.kernel.config.RulesConfig config) throws RuleException {
        RuleRunner runner = new RuleRunner(1);
        try {
            return new RuleLoader(runner).load(config, RuleSet.none(config)).files();
        } finally {
            runner.stop();
        }
    }

    /** Compiles what changed since {@code previous}; throws, naming file and line, when any script is broken. */
    public RuleSet load(io.runnel.kernel.config.RulesConfig config, RuleSet previous) throws RuleException {
        return loader.load(config, previous);
    }

    /**
     * Runs the global reception rules, then those of the tenant (as they left it). Completes at once when no script
     * has reception rules.
     */
    public CompletableFuture<ReceptionDecision> reception(RuleSet rules, ReceptionInput input) {
        if (!rules.anyReceptionRules()) {
            return CompletableFuture.completedFuture(ReceptionDecision.unchanged(input));
        }
        return runner.call(rules.config().timeout(), call -> reception(call, rules, input))
                .whenComplete((decision, failure) -> logFailure("reception", failure));
    }

    /** The reception rules of one message, on the calling thread (the benchmark measures this). */
    static ReceptionDecision reception(RuleRunner.Call call, RuleSet rules, ReceptionInput input) {
        ReceptionRule rule = new ReceptionRule(input);
        rules.global().ifPresent(global -> run(call, global, global.reception(), rule));
        Optional.ofNullable(rule.getTenant()).map(rules.tenants()::get)
                .ifPresent(script -> run(call, script, script.reception(), rule));
        return rule.decision();
    }

    /** The limits of a new ready queue after every script's egress rules; {@code base} when there are none. */
    public CompletableFuture<EgressLimits> egress(RuleSet rules, String domain, String site, String source, String pool,
                                                  DeliveryConfig.Limits base) {
        if (!rules.anyEgressRules()) {
            return CompletableFuture.completedFuture(EgressLimits.of(base));
        }
        return runner.call(rules.config().timeout(), call -> {
            EgressRule rule = new EgressRule(domain, site, source, pool, base);
            for (CompiledScript script : rules.all()) {
                run(call, script, script.egress(), rule);
            }
            return rule.limits();
        }).whenComplete((limits, failure) -> logFailure("egress", failure));
    }

    /** What the outcome rules of the message's tenant (and the global ones) make of a failed attempt. */
    public CompletableFuture<OutcomeDecision> outcome(RuleSet rules, OutcomeInput input) {
        if (!rules.hasOutcomeRules(input.tenant())) {
            return CompletableFuture.completedFuture(OutcomeDecision.NONE);
        }
        return runner.call(rules.config().timeout(), call -> {
            OutcomeRule rule = new OutcomeRule(input);
            for (CompiledScript script : rules.scriptsFor(input.tenant())) {
                run(call, script, script.outcome(), rule);
            }
            return rule.decision();
        }).whenComplete((decision, failure) -> logFailure("outcome", failure));
    }

    private static void run(RuleRunner.Call call, CompiledScript script, List<Closure<?>> rules, Object delegate) {
        call.in(script.file());
        for (Closure<?> rule : rules) {
            // a copy per call: the shared closure is never mutated, so concurrent messages do not see each other
            Closure<?> copy = rule.rehydrate(delegate, script.script(), script.script());
            copy.setResolveStrategy(Closure.DELEGATE_ONLY);
            copy.call();
        }
    }

    private static void logFailure(String phase, Throwable failure) {
        if (failure == null) {
            return;
        }
        Throwable cause = failure.getCause() != null && !(failure instanceof RuleException) ? failure.getCause() : failure;
        if (cause instanceof RuleException rule) {
            log.atWarn().addKeyValue("stage", phase).addKeyValue("rule_file", rule.file())
                    .addKeyValue("rule_line", rule.line().orElse(0)).log("rule failed: {}", rule.getMessage());
        } else {
            log.atWarn().addKeyValue("stage", phase).setCause(cause).log("rule failed");
        }
    }

    @Override
    public int phase() {
        return Phases.RULES;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public void start() {
        runner = new RuleRunner(threads);
        loader = new RuleLoader(runner);
    }

    @Override
    public void stop(Duration grace) {
        runner.stop();
    }
}
