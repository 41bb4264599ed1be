package io.runnel.kernel.rules;

import java.util.Optional;

/**
 * A rule script that cannot be used (it does not compile, or its top level fails), or a rule that failed for one
 * message (it threw or ran out of time): names the file, the line when known, and the reason.
 */
public final class RuleException extends Exception {

    private final String file;
    private final Optional<Integer> line;
    private final String reason;

    public RuleException(String file, Optional<Integer> line, String reason, Throwable cause) {
        super(file + line.map(l -> ":" + l).orElse("") + ": " + reason, cause);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public Optional<Integer> line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
