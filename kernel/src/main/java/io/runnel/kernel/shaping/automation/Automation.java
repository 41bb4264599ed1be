package io.runnel.kernel.shaping.automation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.queue.QueueSelector;
import io.runnel.kernel.queue.Suspensions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traffic-shaping automation: looks at the replies delivery gets back on a path (egress source to site) and, when
 * one of the path's {@link AutomationRule}s matches and triggers, applies its actions for the rule's duration.
 * Suspensions and bounces become admin rules in {@link Suspensions} (persisted, listed by
 * {@code runnelctl queue suspensions} / {@code bounces}, ending by themselves); {@code SetConfig} becomes a
 * {@link ShapingOverrides} entry. An action already active for the same path (same selector, or same key and value)
 * is left as it is: neither stacked nor extended, so a storm of matching replies costs no writes.
 *
 * <p>Thread-safe; delivery calls it on its state thread. Writes (one per newly applied action) are synchronous.
 */
@Singleton
public final class Automation {

    private static final Logger log = LoggerFactory.getLogger(Automation.class);
    /** Most characters of a reply quoted in a reason. */
    private static final int QUOTED = 200;

    private final AutomationRulesFor rulesFor;
    private final ActionLedger ledger;
    private final SharedAutomation shared;
    private final Map<WindowKey, ThresholdWindow> windows = new ConcurrentHashMap<>();
    private final Map<String, Counter> applied = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    private record WindowKey(String rule, String source, String site) {
    }

    @Inject
    Automation(AutomationRulesFor rulesFor, ActionLedger ledger, SharedAutomation shared, MeterRegistry registry) {
        this.rulesFor = rulesFor;
        this.ledger = ledger;
        this.shared = shared;
        this.registry = registry;
    }

    /** Automation on this node alone (no Redis to share actions through). */
    public static Automation local(AutomationRulesFor rulesFor, Suspensions suspensions, ShapingOverrides overrides,
                                   Clock clock, MeterRegistry registry) {
        ActionLedger ledger = new ActionLedger(suspensions, overrides);
        return new Automation(rulesFor, ledger, new SharedAutomation(Optional.empty(), ledger, clock), registry);
    }

    /**
     * Looks at one reply received on {@code path} with the rules {@link AutomationRulesFor} gives for it.
     *
     * @return the actions this reply newly applied (empty in the common case)
     */
    public List<AutomationAction> observe(PathFacts path, SmtpReply reply, Instant now) {
        List<AutomationRule> rules = rulesFor.rulesFor(path);
        return rules.isEmpty() ? List.of() : observe(path, rules, reply, now);
    }

    /** As {@link #observe(PathFacts, SmtpReply, Instant)}, with the rules given. */
    public List<AutomationAction> observe(PathFacts path, List<AutomationRule> rules, SmtpReply reply, Instant now) {
        String text = oneLine(reply);
        List<AutomationAction> done = new ArrayList<>(0);
        for (AutomationRule rule : rules) {
            if (!rule.matches(text) || !triggered(rule, path, now)) {
                continue;
            }
            String reason = "automation " + rule.id() + " /" + rule.regexes() + "/ saw \""
                    + (text.length() > QUOTED ? text.substring(0, QUOTED) + "..." : text) + "\"";
            for (AutomationAction action : rule.actions()) {
                if (apply(rule, action, path, reason, now)) {
                    done.add(action);
                }
            }
        }
        return done;
    }

    /** How many times each action kind was applied since start (also the {@code runnel.automation.actions} metric). */
    public long appliedCount(String action) {
        Counter counter = applied.get(action);
        return counter == null ? 0 : (long) counter.count();
    }

    private boolean triggered(AutomationRule rule, PathFacts path, Instant now) {
        if (!(rule.trigger() instanceof Trigger.Threshold threshold)) {
            return true;
        }
        if (windows.size() > 10_000) { // paths come and go: forget the windows that hold nothing any more
            windows.values().removeIf(w -> w.idleAt(now));
        }
        return windows.computeIfAbsent(new WindowKey(rule.id(), path.source(), path.site()), k -> new ThresholdWindow(threshold))
                .match(now);
    }

    /** Applies one action unless the same one is active; true when it was applied. */
    private boolean apply(AutomationRule rule, AutomationAction action, PathFacts path, String reason, Instant now) {
        try {
            boolean done = dispatch(rule, action, path, reason, now, now.plus(rule.duration()));
            if (done) {
                applied.computeIfAbsent(action instanceof AutomationAction.SetConfig ? "SetConfig" : action.toString(),
                        name -> Counter.builder("runnel.automation.actions").tag("action", name)
                                .description("Actions traffic-shaping automation applied").register(registry)).increment();
                log.atWarn().addKeyValue("rule", rule.id()).addKeyValue("regex", rule.regexes()).addKeyValue("action", action)
                        .addKeyValue("source", path.source()).addKeyValue("site", path.site())
                        .addKeyValue("tenant", path.tenant().orElse("")).addKeyValue("campaign", path.campaign().orElse(""))
                        .addKeyValue("duration", rule.duration()).addKeyValue("reason", reason).log("automation action applied");
            }
            return done;
        } catch (UncheckedIOException | IllegalArgumentException e) {
            // the reply is still settled as usual; the action is tried again at the next match
            log.atError().addKeyValue("rule", rule.id()).addKeyValue("action", action).addKeyValue("source", path.source())
                    .addKeyValue("site", path.site()).setCause(e).log("automation action not applied");
            return false;
        }
    }

    private boolean dispatch(AutomationRule rule, AutomationAction action, PathFacts path, String reason, Instant now,
                             Instant until) {
        if (action instanceof AutomationAction.Suspend) {
            return suspend(new QueueSelector("", "", "", path.site(), path.source()), reason, rule, until);
        }
        if (action instanceof AutomationAction.SuspendTenant) {
            return path.tenant().isPresent()
                    ? suspend(new QueueSelector(path.tenant().get(), "", "", path.site(), ""), reason, rule, until)
                    : skipped(rule, action, path, "the mail has no tenant");
        }
        if (action instanceof AutomationAction.SuspendCampaign) {
            return path.campaign().isPresent()
                    ? suspend(new QueueSelector(path.tenant().orElse(""), path.campaign().get(), "", path.site(), ""), reason,
                    rule, until)
                    : skipped(rule, action, path, "the mail has no campaign");
        }
        if (action instanceof AutomationAction.Bounce) {
            QueueSelector selector = new QueueSelector("", "", "", path.site(), path.source());
            boolean done = ledger.bounce(selector, reason, rule.duration());
            if (done) {
                shared.suspended(true, selector, reason, until);
            }
            return done;
        }
        AutomationAction.SetConfig set = (AutomationAction.SetConfig) action;
        boolean done = ledger.setConfig(path.source(), path.site(), set.name(), set.value(), rule.duration(), reason, now);
        if (done) {
            shared.overridden(path.source(), path.site(), set.name(), set.value(), reason, until);
        }
        return done;
    }

    private boolean suspend(QueueSelector selector, String reason, AutomationRule rule, Instant until) {
        boolean done = ledger.suspend(selector, reason, rule.duration());
        if (done) {
            shared.suspended(false, selector, reason, until);
        }
        return done;
    }

    private static boolean skipped(AutomationRule rule, AutomationAction action, PathFacts path, String why) {
        log.atWarn().addKeyValue("rule", rule.id()).addKeyValue("action", action).addKeyValue("source", path.source())
                .addKeyValue("site", path.site()).log("automation action skipped: " + why);
        return false;
    }

    /** The reply as rules see it: {@code 421 4.7.0 first line second line}. */
    static String oneLine(SmtpReply reply) {
        StringBuilder out = new StringBuilder().append(reply.code());
        reply.enhancedStatus().ifPresent(status -> out.append(' ').append(status));
        for (String line : reply.lines()) {
            out.append(' ').append(line);
        }
        return out.toString();
    }
}
