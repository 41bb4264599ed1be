package io.runnel.kernel.queue;

import java.time.Instant;
import java.util.List;

/**
 * The admin rules in force from one moment until {@code validUntil} (the next expiry) or until a rule is added or
 * ended, whichever comes first: {@link Suspensions} hands out the same instance meanwhile, so a scheduled queue can
 * keep its answer to {@link #holds} and the scheduler's tick need not ask again per queue and tick.
 */
record ActiveRules(List<AdminRule> rules, Instant validUntil) {

    ActiveRules {
        rules = List.copyOf(rules);
    }

    /** Whether a suspension holds this queue's mail and no admin bounce (which outranks it) takes it. */
    boolean holds(QueueName queue) {
        return matches(AdminRule.Kind.SUSPEND, queue) && !matches(AdminRule.Kind.BOUNCE, queue);
    }

    private boolean matches(AdminRule.Kind kind, QueueName queue) {
        for (AdminRule rule : rules) {
            if (rule.kind() == kind && !rule.selector().needsRoute() && rule.selector().matchesQueue(queue)) {
                return true;
            }
        }
        return false;
    }
}
