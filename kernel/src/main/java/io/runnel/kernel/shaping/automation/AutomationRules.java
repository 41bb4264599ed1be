package io.runnel.kernel.shaping.automation;

import io.runnel.kernel.config.ConfigException;
import io.runnel.kernel.config.Durations;
import io.runnel.kernel.shaping.ShapingKey;
import io.runnel.kernel.shaping.ShapingKeys;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads the {@code automation} entries of one shaping block, KumoMTA's syntax:
 * <pre>
 * [[provider."yahoo".automation]]
 * regex = "\\[TS04\\]"                  # or a list of regexes
 * action = "Suspend"                    # Suspend, SuspendTenant, SuspendCampaign, Bounce,
 *                                       # {SetConfig={name="max_message_rate", value="1/minute"}}, or a list
 * trigger = {Threshold="2/hr"}          # default "Immediate"
 * duration = "2 hours"
 * </pre>
 * Errors name the file, line and key ({@code shaping.toml:12: provider."yahoo".automation[0].regex: ...}); an
 * unknown key in an entry is an error.
 */
public final class AutomationRules {

    private static final Set<String> KEYS = Set.of("regex", "action", "trigger", "duration");
    private static final Set<String> SET_CONFIG_KEYS = Set.of("name", "value");

    /** Checks a {@code SetConfig} key and value as the shaping loader would read them; throws with the reason. */
    @FunctionalInterface
    public interface SetConfigCheck {
        /** Accepts any key and value. */
        SetConfigCheck ANY = (name, value) -> { };
        /** A key of {@link ShapingKeys} with a value its parser reads, or a KumoMTA key Runnel does not apply. */
        SetConfigCheck SHAPING_KEYS = (name, value) -> {
            Optional<ShapingKey<?>> key = ShapingKeys.named(name);
            if (key.isPresent()) {
                key.get().parse(value);
            } else if (!ShapingKeys.NOT_APPLIED.contains(name)) {
                throw new IllegalArgumentException("not a shaping key");
            }
        };

        void check(String name, Object value) throws IllegalArgumentException;
    }

    private final Path file;
    private final String block;
    private final SetConfigCheck check;

    private AutomationRules(Path file, String block, SetConfigCheck check) {
        this.file = file;
        this.block = block;
        this.check = check;
    }

    /** The rules of {@code blockTable}'s {@code automation} key (none when absent), SetConfig checked by {@link ShapingKeys}. */
    public static List<AutomationRule> parse(Path file, String block, TomlTable blockTable) throws ConfigException {
        return parse(file, block, blockTable, SetConfigCheck.SHAPING_KEYS);
    }

    /**
     * The rules of {@code blockTable}'s {@code automation} key (none when absent).
     *
     * @param file       the shaping file, for errors
     * @param block      the block as errors and rule ids name it: {@code default}, {@code "example.com"},
     *                   {@code provider."yahoo"}
     * @param blockTable the block's table; only its {@code automation} key is read
     * @param check      validates each SetConfig's name and value
     */
    public static List<AutomationRule> parse(Path file, String block, TomlTable blockTable, SetConfigCheck check)
            throws ConfigException {
        Object value = blockTable.get(List.of("automation"));
        if (value == null) {
            return List.of();
        }
        AutomationRules rules = new AutomationRules(file, block, check);
        Optional<Integer> line = line(blockTable.inputPositionOf("automation"));
        if (!(value instanceof TomlArray entries)) {
            throw new ConfigException(file, line, block + ".automation",
                    "expected an array of tables [[" + block + ".automation]], got " + describe(value));
        }
        List<AutomationRule> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (!(entries.get(i) instanceof TomlTable entry)) {
                throw new ConfigException(file, line, block + ".automation[" + i + "]",
                        "expected a table [[" + block + ".automation]], got " + describe(entries.get(i)));
            }
            Optional<Integer> at = line(entries.inputPositionOf(i)).or(() -> line);
            out.add(rules.rule(block + ".automation[" + i + "]", entry, at));
        }
        return out;
    }

    /**
     * One entry, {@code [[<block>.automation]]} number {@code index}, for a loader that walks the entries itself.
     *
     * @param line where the entry starts, for errors about keys whose own line is unknown
     */
    public static AutomationRule parseEntry(Path file, String block, int index, TomlTable entry, Optional<Integer> line,
                                            SetConfigCheck check) throws ConfigException {
        return new AutomationRules(file, block, check).rule(block + ".automation[" + index + "]", entry, line);
    }

    private AutomationRule rule(String id, TomlTable entry, Optional<Integer> line) throws ConfigException {
        for (String key : entry.keySet()) {
            if (!KEYS.contains(key)) {
                throw error(entry, key, id + "." + key, line, "unknown key (expected regex, action, trigger, duration)");
            }
        }
        List<Pattern> patterns = patterns(id, entry, line);
        List<AutomationAction> actions = actions(id, entry, line);
        Trigger trigger = trigger(id, entry, line);
        Object durationValue = required(id, entry, "duration", line);
        Duration duration;
        try {
            if (durationValue instanceof Long seconds) {
                duration = Duration.ofSeconds(seconds);
            } else if (durationValue instanceof String text) {
                duration = Durations.parse(text);
            } else {
                throw new IllegalArgumentException("expected a duration such as \"2 hours\", \"90m\" or a number of seconds, got "
                        + describe(durationValue));
            }
        } catch (IllegalArgumentException e) {
            throw error(entry, "duration", id + ".duration", line, e.getMessage());
        }
        if (duration.isZero() || duration.isNegative()) {
            throw error(entry, "duration", id + ".duration", line, "must be longer than zero");
        }
        return new AutomationRule(id, block, patterns, trigger, actions, duration);
    }

    private List<Pattern> patterns(String id, TomlTable entry, Optional<Integer> line) throws ConfigException {
        Object value = required(id, entry, "regex", line);
        List<Pattern> out = new ArrayList<>();
        if (value instanceof String regex) {
            out.add(compile(regex, entry, "regex", id + ".regex", line));
        } else if (value instanceof TomlArray list && !list.isEmpty()) {
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String regex)) {
                    throw error(entry, "regex", id + ".regex[" + i + "]", line, "expected a string, got " + describe(list.get(i)));
                }
                out.add(compile(regex, entry, "regex", id + ".regex[" + i + "]", line));
            }
        } else {
            throw error(entry, "regex", id + ".regex", line, "expected a regex or a non-empty list of regexes, got " + describe(value));
        }
        return out;
    }

    private Pattern compile(String regex, TomlTable entry, String key, String path, Optional<Integer> line)
            throws ConfigException {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw error(entry, key, path, line, "invalid regex \"" + regex + "\": " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    private List<AutomationAction> actions(String id, TomlTable entry, Optional<Integer> line) throws ConfigException {
        Object value = required(id, entry, "action", line);
        List<AutomationAction> out = new ArrayList<>();
        if (value instanceof TomlArray list) {
            if (list.isEmpty()) {
                throw error(entry, "action", id + ".action", line, "expected at least one action");
            }
            for (int i = 0; i < list.size(); i++) {
                out.add(action(list.get(i), id + ".action[" + i + "]", line(entry.inputPositionOf("action")).or(() -> line)));
            }
        } else {
            out.add(action(value, id + ".action", line(entry.inputPositionOf("action")).or(() -> line)));
        }
        return out;
    }

    private AutomationAction action(Object value, String key, Optional<Integer> line) throws ConfigException {
        if (value instanceof String name) {
            return switch (name) {
                case "Suspend" -> new AutomationAction.Suspend();
                case "SuspendTenant" -> new AutomationAction.SuspendTenant();
                case "SuspendCampaign" -> new AutomationAction.SuspendCampaign();
                case "Bounce" -> new AutomationAction.Bounce();
                default -> throw new ConfigException(file, line, key, "unknown action \"" + name + "\" (expected"
                        + " \"Suspend\", \"SuspendTenant\", \"SuspendCampaign\", \"Bounce\" or {SetConfig={name=..., value=...}})");
            };
        }
        if (value instanceof TomlTable table && table.size() == 1 && table.get(List.of("SetConfig")) instanceof TomlTable set) {
            return setConfig(set, key + ".SetConfig", line);
        }
        throw new ConfigException(file, line, key, "expected \"Suspend\", \"SuspendTenant\", \"SuspendCampaign\", \"Bounce\""
                + " or {SetConfig={name=..., value=...}}, got " + describe(value));
    }

    private AutomationAction setConfig(TomlTable set, String key, Optional<Integer> line) throws ConfigException {
        for (String k : set.keySet()) {
            if (!SET_CONFIG_KEYS.contains(k)) {
                throw new ConfigException(file, line, key + "." + k, "unknown key (expected name, value)");
            }
        }
        if (!(set.get(List.of("name")) instanceof String name) || name.isBlank()) {
            throw new ConfigException(file, line, key + ".name", "expected the name of a shaping key, got "
                    + describe(set.get(List.of("name"))));
        }
        Object value = set.get(List.of("value"));
        if (!(value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean)) {
            throw new ConfigException(file, line, key + ".value", "expected a string, number or boolean, got " + describe(value));
        }
        try {
            check.check(name, value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, line, key, name + ": " + e.getMessage());
        }
        return new AutomationAction.SetConfig(name, value);
    }

    private Trigger trigger(String id, TomlTable entry, Optional<Integer> line) throws ConfigException {
        Object value = entry.get(List.of("trigger"));
        if (value == null || "Immediate".equals(value)) {
            return new Trigger.Immediate();
        }
        if (value instanceof TomlTable table && table.size() == 1 && table.get(List.of("Threshold")) instanceof String spec) {
            ThrottleSpec threshold;
            try {
                threshold = ThrottleSpec.parse(spec);
            } catch (IllegalArgumentException e) {
                throw error(entry, "trigger", id + ".trigger.Threshold", line, e.getMessage());
            }
            if (threshold.maxBurst() != threshold.limit()) {
                throw error(entry, "trigger", id + ".trigger.Threshold", line, "a threshold counts matches; max_burst has no meaning here");
            }
            return new Trigger.Threshold(threshold.limit(), threshold.period());
        }
        throw error(entry, "trigger", id + ".trigger", line, "expected \"Immediate\" or {Threshold=\"N/period\"} such as"
                + " {Threshold=\"2/hr\"}, got " + describe(value));
    }

    private Object required(String id, TomlTable entry, String key, Optional<Integer> line) throws ConfigException {
        Object value = entry.get(List.of(key));
        if (value == null) {
            throw new ConfigException(file, line, id + "." + key, "missing (every automation rule needs regex, action and duration)");
        }
        return value;
    }

    /** An error about {@code key} of an entry, on its line, reported as {@code qualified}. */
    private ConfigException error(TomlTable entry, String key, String qualified, Optional<Integer> line, String reason) {
        return new ConfigException(file, line(entry.inputPositionOf(key)).or(() -> line), qualified, reason);
    }

    private static Optional<Integer> line(TomlPosition position) {
        return Optional.ofNullable(position).map(TomlPosition::line);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof TomlTable) {
            return "a table";
        }
        if (value instanceof TomlArray) {
            return "an array";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(value);
    }
}
