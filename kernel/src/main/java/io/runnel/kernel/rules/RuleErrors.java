package io.runnel.kernel.rules;

import java.util.Optional;

/** Where in a rule script an exception came from: the first stack frame of that script's source. */
final class RuleErrors {

    private RuleErrors() {
    }

    static Optional<Integer> lineOf(Throwable failure, String file) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (file.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                    return Optional.of(frame.getLineNumber());
                }
            }
        }
        return Optional.empty();
    }

    static String reason(Throwable failure) {
        String message = failure.getMessage();
        String kind = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + ": " + message.strip();
    }

}
