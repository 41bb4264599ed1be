package io.runnel.kernel.shaping.automation;

import io.runnel.kernel.queue.AdminRule;
import io.runnel.kernel.queue.QueueSelector;
import io.runnel.kernel.queue.Suspensions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Applies automation's actions to the node's state, each at most once while active: a suspension or bounce with the
 * same selector, or an override of the same key with the same value, already active is left as it is (neither
 * stacked nor extended).
 */
@Singleton
final class ActionLedger {

    private final Suspensions suspensions;
    private final ShapingOverrides overrides;

    @Inject
    ActionLedger(Suspensions suspensions, ShapingOverrides overrides) {
        this.suspensions = suspensions;
        this.overrides = overrides;
    }

    /** @return true when applied now, false when already active */
    boolean suspend(QueueSelector selector, String reason, Duration duration) {
        if (active(AdminRule.Kind.SUSPEND, selector)) {
            return false;
        }
        suspensions.suspend(selector, reason, Optional.of(duration));
        return true;
    }

    boolean bounce(QueueSelector selector, String reason, Duration duration) {
        if (active(AdminRule.Kind.BOUNCE, selector)) {
            return false;
        }
        suspensions.bounce(selector, reason, duration, false);
        return true;
    }

    boolean setConfig(String source, String site, String name, Object value, Duration duration, String reason, Instant now) {
        if (overrides.active(source, site, name, now).filter(o -> o.value().equals(value)).isPresent()) {
            return false;
        }
        overrides.set(source, site, name, value, duration, reason);
        return true;
    }

    private boolean active(AdminRule.Kind kind, QueueSelector selector) {
        return suspensions.active(kind).stream().anyMatch(r -> r.selector().equals(selector));
    }
}
