package io.runnel.kernel.shaping.automation;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One {@code [[BLOCK.automation]]} entry of a shaping file: when a delivery reply matches one of its patterns (and
 * the trigger fires), its actions apply to the path for {@code duration}.
 *
 * @param id       where it was written, {@code BLOCK.automation[i]} (e.g. {@code provider."yahoo".automation[0]}):
 *                 names the rule in logs and reasons, and keys its threshold counters
 * @param block    the shaping block it came from ({@code "default"}, {@code "example.com"}, {@code provider."yahoo"})
 * @param patterns searched for (not anchored) in the reply's one-line text, {@code 421 4.7.0 text}
 */
public record AutomationRule(String id, String block, List<Pattern> patterns, Trigger trigger,
                             List<AutomationAction> actions, Duration duration) {

    public AutomationRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(block, "block");
        patterns = List.copyOf(patterns);
        Objects.requireNonNull(trigger, "trigger");
        actions = List.copyOf(actions);
        Objects.requireNonNull(duration, "duration");
        if (patterns.isEmpty() || actions.isEmpty()) {
            throw new IllegalArgumentException("an automation rule needs a regex and an action");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("an automation rule's duration must be positive");
        }
    }

    public boolean matches(String replyText) {
        for (Pattern p : patterns) {
            if (p.matcher(replyText).find()) {
                return true;
            }
        }
        return false;
    }

    /** The patterns as written, for logs and reasons. */
    public String regexes() {
        return patterns.stream().map(Pattern::pattern).collect(Collectors.joining(" | "));
    }
}
