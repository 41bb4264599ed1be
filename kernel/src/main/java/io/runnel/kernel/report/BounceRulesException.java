package io.runnel.kernel.report;

import java.nio.file.Path;
import java.util.Optional;

/** A bounce rules file that cannot be used: which file, line and key, and why. */
public final class BounceRulesException extends Exception {

    private final Path file;
    private final Optional<Integer> line;
    private final String key;
    private final String reason;

    BounceRulesException(Path file, Optional<Integer> line, String key, String reason) {
        super(file + line.map(l -> ":" + l).orElse("") + (key.isEmpty() ? "" : ": " + key) + ": " + reason);
        this.file = file;
        this.line = line;
        this.key = key;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public Optional<Integer> line() {
        return line;
    }

    public String key() {
        return key;
    }

    public String reason() {
        return reason;
    }
}
