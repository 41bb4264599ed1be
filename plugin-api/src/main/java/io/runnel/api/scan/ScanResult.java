package io.runnel.api.scan;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link MessageScanner} found. Immutable.
 *
 * @since API 1.0
 */
public sealed interface ScanResult {

    /** Nothing found. */
    record Clean() implements ScanResult {
    }

    /** Malware found; {@code name} is the scanner's name for it. */
    record Infected(String name) implements ScanResult {
        public Infected {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A spam score and the rules (symbols) that produced it; policy on the score is the kernel's. */
    record Spam(double score, List<String> symbols) implements ScanResult {
        public Spam {
            symbols = List.copyOf(symbols);
        }
    }

    /** The scanner could not judge the message (encrypted archive, too large); {@code reason} is for operators. */
    record Unscannable(String reason) implements ScanResult {
        public Unscannable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
