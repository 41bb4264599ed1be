package io.runnel.kernel.shaping.automation;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Counts one rule's matches on one path over a sliding window: fires at the {@code count}-th match within the last
 * {@code period}, then starts counting afresh. Keeps at most {@code count} timestamps.
 */
final class ThresholdWindow {

    private final Trigger.Threshold threshold;
    private final ArrayDeque<Instant> matches = new ArrayDeque<>();

    ThresholdWindow(Trigger.Threshold threshold) {
        this.threshold = threshold;
    }

    /** Counts a match at {@code now}; true when it reaches the threshold. */
    synchronized boolean match(Instant now) {
        Instant horizon = now.minus(threshold.period());
        while (!matches.isEmpty() && !matches.peekFirst().isAfter(horizon)) {
            matches.pollFirst();
        }
        matches.addLast(now);
        if (matches.size() >= threshold.count()) {
            matches.clear();
            return true;
        }
        return false;
    }

    /** True when no match is left in the window at {@code now}: the window can be forgotten. */
    synchronized boolean idleAt(Instant now) {
        return matches.isEmpty() || !matches.peekLast().isAfter(now.minus(threshold.period()));
    }
}
