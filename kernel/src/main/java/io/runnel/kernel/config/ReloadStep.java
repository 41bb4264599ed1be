package io.runnel.kernel.config;

import java.util.List;

/**
 * Something besides runnel.toml and the rules that a reload re-reads (listener certificates). A reload prepares
 * every step first; when any step reports an error nothing is applied, the running state stays and the report
 * names the error.
 */
public interface ReloadStep {

    /** Reads and checks what changed since the last apply, without applying it. */
    Prepared prepare();

    /**
     * @param changed files that differ, for the report
     * @param errors  why the new state cannot be used; empty when it can
     * @param apply   makes the prepared state live (not called when any step has errors)
     */
    record Prepared(List<String> changed, List<String> errors, Runnable apply) {
        public Prepared {
            changed = List.copyOf(changed);
            errors = List.copyOf(errors);
        }
    }
}
