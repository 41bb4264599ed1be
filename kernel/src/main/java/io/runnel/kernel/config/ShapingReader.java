package io.runnel.kernel.config;

import io.runnel.kernel.shaping.PathSettings;
import io.runnel.kernel.shaping.Shaping;
import io.runnel.kernel.shaping.ShapingKey;
import io.runnel.kernel.shaping.ShapingKeys;
import io.runnel.kernel.shaping.ThrottleSpec;
import io.runnel.kernel.shaping.automation.AutomationRule;
import io.runnel.kernel.shaping.automation.AutomationRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads shaping files in KumoMTA's layout and merges them in order: a block in a later file adds to (or, with
 * {@code replace_base = true}, replaces) the same block of an earlier one. Unknown keys are errors naming file, line,
 * section and key; KumoMTA keys Runnel does not apply are reported to {@code warnings} and skipped.
 */
final class ShapingReader {

    private static final String DOMAIN = "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?";

    private enum Kind { DEFAULT, PROVIDER, DOMAIN, SOURCE }

    private final Set<String> sources;
    private final Consumer<String> warnings;
    /** The file being read. */
    private Path file;
    private Shaping.Block defaults = Shaping.Block.empty("default");
    private final Map<String, Shaping.Provider> providers = new LinkedHashMap<>();
    private final Map<String, Shaping.DomainBlock> domains = new LinkedHashMap<>();
    private final Map<String, Shaping.TenantRates> tenants = new LinkedHashMap<>();

    /**
     * @param sources  the egress sources runnel.toml defines: a {@code sources."<name>"} part naming another is a
     *                 warning (the file may be shared by nodes with other sources)
     */
    private ShapingReader(Set<String> sources, Consumer<String> warnings) {
        this.sources = sources;
        this.warnings = warnings;
    }

    static Shaping read(List<Path> files, Set<String> sources, Consumer<String> warnings) throws ConfigException {
        ShapingReader reader = new ShapingReader(sources, warnings);
        for (Path file : files) {
            reader.file(file);
        }
        return new Shaping(reader.defaults, List.copyOf(reader.providers.values()), reader.domains, reader.tenants, files);
    }

    private void file(Path file) throws ConfigException {
        this.file = file;
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, Optional.empty(), "", "shaping file not found");
        } catch (IOException e) {
            throw new ConfigException(file, Optional.empty(), "", "cannot read: " + e.getMessage());
        }
        TomlParseResult toml = TomlText.parse(file, text);
        TomlSection root = new TomlSection(file, toml, "", Optional.empty());
        for (String key : root.keys()) {
            switch (key) {
                case "default" -> {
                    TomlSection s = table(root, key);
                    Shaping.Block block = block(s, "default", "default", Kind.DEFAULT);
                    defaults = s.bool("replace_base", false) ? block : defaults.merge(block);
                    s.rejectUnknownKeys();
                }
                case "provider" -> providers(table(root, key));
                case "tenant" -> tenants(table(root, key));
                default -> domain(root, key);
            }
        }
    }

    private void domain(TomlSection root, String key) throws ConfigException {
        String domain = key.toLowerCase(Locale.ROOT);
        if (!domain.matches(DOMAIN)) {
            throw root.error(key, "not a domain name; a block is [\"default\"], [\"<domain>\"], [provider.\"<name>\"]"
                    + " or [tenant.\"<name>\"]");
        }
        TomlSection s = table(root, key);
        Shaping.Block block = block(s, domain, "\"" + domain + "\"", Kind.DOMAIN);
        boolean rollup = s.bool("mx_rollup", true);
        Shaping.DomainBlock earlier = domains.get(domain);
        if (earlier != null && !s.bool("replace_base", false)) {
            block = earlier.block().merge(block);
            rollup = s.optionalBool("mx_rollup").orElse(earlier.mxRollup());
        }
        s.rejectUnknownKeys();
        domains.put(domain, new Shaping.DomainBlock(domain, rollup, block));
    }

    private void providers(TomlSection all) throws ConfigException {
        for (String name : all.keys()) {
            TomlSection s = table(all, name);
            Shaping.Block block = block(s, "provider." + name, "provider.\"" + name + "\"", Kind.PROVIDER);
            List<Shaping.Match> matches = matches(s);
            Shaping.Provider earlier = providers.get(name);
            if (earlier != null && !s.bool("replace_base", false)) {
                block = earlier.block().merge(block);
                matches = matches.isEmpty() ? earlier.matches() : matches;
            }
            if (matches.isEmpty()) {
                throw s.error("match", "a provider needs match = [{MXSuffix=\".example.net\"}] or [{DomainSuffix=...}]");
            }
            s.rejectUnknownKeys();
            providers.put(name, new Shaping.Provider(name, matches, block));
        }
        all.rejectUnknownKeys();
    }

    private static List<Shaping.Match> matches(TomlSection s) throws ConfigException {
        Object raw = s.raw("match");
        if (raw == null) {
            return List.of();
        }
        List<Object> entries = new ArrayList<>();
        if (raw instanceof TomlArray array) {
            entries.addAll(array.toList());
        } else {
            entries.add(raw);
        }
        List<Shaping.Match> out = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof TomlTable t) || t.size() != 1) {
                throw s.error("match", "each entry is one {MXSuffix=\"...\"} or {DomainSuffix=\"...\"}");
            }
            String kind = t.keySet().iterator().next();
            Object suffix = t.get(List.of(kind));
            if (!(suffix instanceof String text) || text.isBlank()) {
                throw s.error("match", kind + " needs a suffix string");
            }
            switch (kind) {
                case "MXSuffix" -> out.add(new Shaping.Match(Shaping.Match.Kind.MX_SUFFIX, text));
                case "DomainSuffix" -> out.add(new Shaping.Match(Shaping.Match.Kind.DOMAIN_SUFFIX, text));
                default -> throw s.error("match", "unknown match \"" + kind + "\"; use MXSuffix or DomainSuffix");
            }
        }
        return out;
    }

    private void tenants(TomlSection all) throws ConfigException {
        for (String name : all.keys()) {
            TomlSection s = table(all, name);
            Optional<ThrottleSpec> rate = DeliveryConfigReader.throttle(s, "max_message_rate");
            Map<String, ThrottleSpec> byDomain = new LinkedHashMap<>();
            Optional<TomlSection> domainsSection = s.section("domain");
            if (domainsSection.isPresent()) {
                for (String domain : domainsSection.get().keys()) {
                    TomlSection d = table(domainsSection.get(), domain);
                    Optional<ThrottleSpec> domainRate = DeliveryConfigReader.throttle(d, "max_message_rate");
                    if (domainRate.isPresent()) {
                        byDomain.put(domain.toLowerCase(Locale.ROOT), domainRate.get());
                    }
                    d.rejectUnknownKeys();
                }
            }
            s.rejectUnknownKeys();
            Shaping.TenantRates earlier = tenants.get(name);
            if (earlier != null) {
                Map<String, ThrottleSpec> merged = new LinkedHashMap<>(earlier.domains());
                merged.putAll(byDomain);
                byDomain = merged;
                rate = rate.or(earlier::maxMessageRate);
            }
            tenants.put(name, new Shaping.TenantRates(name, rate, byDomain));
        }
        all.rejectUnknownKeys();
    }

    /** @param quoted the block's name as the file writes it, for automation rule ids and errors */
    private Shaping.Block block(TomlSection s, String name, String quoted, Kind kind) throws ConfigException {
        Map<String, PathSettings> bySource = new LinkedHashMap<>();
        List<AutomationRule> automation = new ArrayList<>();
        if (kind != Kind.SOURCE) {
            Optional<TomlSection> sourceParts = s.section("sources");
            if (sourceParts.isPresent()) {
                for (String source : sourceParts.get().keys()) {
                    TomlSection part = table(sourceParts.get(), source);
                    if (!sources.contains(source)) {
                        warnings.accept(sourceParts.get().error(source, "no [[egress.source]] is named \"" + source
                                + "\"; the part applies only where one is").getMessage());
                    }
                    bySource.put(source, block(part, name + ".sources." + source, "", Kind.SOURCE).settings());
                    part.rejectUnknownKeys();
                }
            }
            s.raw("automation");
            automation.addAll(AutomationRules.parse(file, quoted, s.table()));
        }
        return new Shaping.Block(name, settings(s, kind), bySource, automation);
    }

    private PathSettings settings(TomlSection s, Kind kind) throws ConfigException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : s.keys()) {
            Optional<ShapingKey<?>> known = ShapingKeys.named(key);
            if (known.isPresent()) {
                boolean providerKey = known.get() == ShapingKeys.PROVIDER_CONNECTION_LIMIT
                        || known.get() == ShapingKeys.PROVIDER_MAX_MESSAGE_RATE;
                if (providerKey && kind != Kind.PROVIDER) {
                    throw s.error(key, "only a [provider.\"<name>\"] block may set it");
                }
                try {
                    values.put(key, known.get().parse(s.raw(key)));
                } catch (IllegalArgumentException e) {
                    throw s.error(key, e.getMessage());
                }
            } else if (ShapingKeys.NOT_APPLIED.contains(key)) {
                s.raw(key);
                warnings.accept(s.error(key, "a KumoMTA key Runnel does not apply; ignored").getMessage());
            } else if (!structural(key, kind)) {
                throw s.error(key, "unknown key");
            }
        }
        return new PathSettings(values);
    }

    /** Keys that shape the file rather than a path; read by the block's own code. */
    private static boolean structural(String key, Kind kind) {
        return switch (key) {
            case "replace_base" -> kind != Kind.SOURCE;
            case "sources", "automation" -> kind != Kind.SOURCE;
            case "mx_rollup" -> kind == Kind.DOMAIN;
            case "match" -> kind == Kind.PROVIDER;
            default -> false;
        };
    }

    private static TomlSection table(TomlSection parent, String key) throws ConfigException {
        return parent.section(key).orElseThrow(() -> parent.error(key, "missing"));
    }
}
