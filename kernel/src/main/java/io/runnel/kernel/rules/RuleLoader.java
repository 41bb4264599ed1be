package io.runnel.kernel.rules;

import groovy.lang.Closure;
import io.runnel.kernel.config.RulesConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the rules folder into a {@link RuleSet}: {@code global.groovy} and one {@code <tenant>.groovy} per tenant.
 * A file whose source did not change since the previous rule set keeps its compiled script; a changed one is
 * compiled and its top level run (under the rule deadline). Any failure refuses the whole set.
 */
final class RuleLoader {

    private final RuleCompiler compiler = new RuleCompiler();
    private final RuleRunner runner;

    RuleLoader(RuleRunner runner) {
        this.runner = runner;
    }

    RuleSet load(RulesConfig config, RuleSet previous) throws RuleException {
        Map<String, CompiledScript> known = new HashMap<>();
        previous.all().forEach(s -> known.put(s.file(), s));
        Optional<CompiledScript> global = Optional.empty();
        Map<String, CompiledScript> tenants = new HashMap<>();
        for (Path file : scripts(config.folder())) {
            String name = file.getFileName().toString();
            CompiledScript script = loadOne(config, name, read(file, name), known.get(name));
            if (name.equals(RulesConfig.GLOBAL_SCRIPT)) {
                global = Optional.of(script);
            } else {
                tenants.put(name.substring(0, name.length() - ".groovy".length()), script);
            }
        }
        return new RuleSet(config, global, tenants);
    }

    /** The {@code *.groovy} files of the folder, sorted; none when the folder does not exist. */
    static List<Path> scripts(Path folder) throws RuleException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".groovy") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new RuleException(folder.toString(), Optional.empty(), "cannot list: " + e.getMessage(), e);
        }
    }

    private static String read(Path file, String name) throws RuleException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RuleException(name, Optional.empty(), "removed while reading", e);
        } catch (IOException e) {
            throw new RuleException(name, Optional.empty(), "cannot read: " + e.getMessage(), e);
        }
    }

    private CompiledScript loadOne(RulesConfig config, String name, String source, CompiledScript previous)
            throws RuleException {
        String hash = sha256(source);
        if (previous != null && previous.sha256().equals(hash)) {
            return previous;
        }
        RuleScript script = compiler.compile(name, source);
        runner.runTopLevel(name, script, config.timeout());
        List<Closure<?>> reception = script.receptionRules();
        List<Closure<?>> egress = script.egressRules();
        List<Closure<?>> outcome = script.outcomeRules();
        return new CompiledScript(name, hash, script, reception, egress, outcome);
    }

    private static String sha256(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
