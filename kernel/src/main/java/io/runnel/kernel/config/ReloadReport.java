package io.runnel.kernel.config;

import java.util.List;

/**
 * What a reload did.
 *
 * @param applied        true when the new configuration is live (or nothing had changed)
 * @param changed        the files that differed from the running configuration, relative to RUNNEL_HOME
 * @param errors         why the reload was refused, each naming file, line and reason; empty when applied
 * @param restartNeeded  changes that only take effect after a restart (listeners, spool), each naming the setting
 */
public record ReloadReport(boolean applied, List<String> changed, List<String> errors, List<String> restartNeeded) {

    public ReloadReport {
        changed = List.copyOf(changed);
        errors = List.copyOf(errors);
        restartNeeded = List.copyOf(restartNeeded);
        if (applied && !errors.isEmpty()) {
            throw new IllegalArgumentException("an applied reload has no errors");
        }
    }
}
