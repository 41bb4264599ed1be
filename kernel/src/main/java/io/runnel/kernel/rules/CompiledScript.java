package io.runnel.kernel.rules;

import groovy.lang.Closure;
import java.util.List;
import java.util.Objects;

/**
 * One loaded rule script: its compiled class ran its top level once and registered these closures. The closures
 * are shared by every message; each call runs a rehydrated copy with its own delegate, so they are never mutated.
 *
 * @param file   the script's file name, relative to the rules folder (also the source name in stack traces)
 * @param sha256 the source's hash: an unchanged file is not compiled again on reload
 */
record CompiledScript(String file, String sha256, RuleScript script, List<Closure<?>> reception,
                      List<Closure<?>> egress, List<Closure<?>> outcome) {
    CompiledScript {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(script, "script");
        reception = List.copyOf(reception);
        egress = List.copyOf(egress);
        outcome = List.copyOf(outcome);
    }
}
