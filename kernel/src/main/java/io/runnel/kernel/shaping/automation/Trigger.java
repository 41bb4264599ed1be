package io.runnel.kernel.shaping.automation;

import java.time.Duration;

/** When a rule's matches make it act: at the first match, or at the {@code count}-th match within {@code period}. */
public sealed interface Trigger {

    record Immediate() implements Trigger {
        @Override
        public String toString() {
            return "Immediate";
        }
    }

    record Threshold(long count, Duration period) implements Trigger {
        public Threshold {
            if (count < 1 || period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("a threshold needs a count of at least 1 and a positive period");
            }
        }

        @Override
        public String toString() {
            return "Threshold(" + count + "/" + period.toSeconds() + "s)";
        }
    }
}
