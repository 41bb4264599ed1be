package io.runnel.kernel.report;

import io.runnel.kernel.config.ConfigException;
import io.runnel.kernel.config.TomlText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads bounce rules files in KumoMTA's format, so the files mailops already have load unchanged:
 * <pre>
 * [rules]
 * InvalidRecipient = ["^(451|550) [45]\\.1\\.[1234] ", "(?i)no such user"]
 * MyOwnLabel = ["..."]
 * </pre>
 * Any label is a category. Rules keep the order they are written in; several files are concatenated in the order
 * given, so an earlier file's rules win over a later one's. A bad regular expression, a wrong type or an unknown key
 * is a {@link ConfigException} naming file, line and key.
 */
public final class BounceRulesLoader {

    /**
     * The rules files shipped with Runnel, in order (the distribution copies them to {@code conf/}): the few texts that
     * must win over a broader category, provider and MTA wording, then weak wording and bare IANA status codes.
     */
    public static final List<String> BUILT_IN = List.of("bounce_precedence.toml", "bounce_rules.toml", "bounce_fallback.toml");

    private BounceRulesLoader() {
    }

    public static BounceClassifier load(List<Path> files) throws ConfigException {
        List<BounceClassifier.Rule> rules = new ArrayList<>();
        for (Path file : files) {
            rules.addAll(rules(file));
        }
        return new BounceClassifier(rules);
    }

    /** The rules of one file, in order. */
    public static List<BounceClassifier.Rule> rules(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, Optional.empty(), "", "bounce rules file not found");
        } catch (IOException e) {
            throw new ConfigException(file, Optional.empty(), "", "cannot read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** The built-in rules from the class path. */
    public static BounceClassifier builtIn() {
        List<BounceClassifier.Rule> rules = new ArrayList<>();
        for (String name : BUILT_IN) {
            rules.addAll(builtIn(name));
        }
        return new BounceClassifier(rules);
    }

    /** One built-in rules file from the class path. */
    public static List<BounceClassifier.Rule> builtIn(String name) {
        try (InputStream in = BounceRulesLoader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return parse(Path.of("(built-in) " + name), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | ConfigException e) {
            throw new IllegalStateException("the built-in bounce rules do not load", e);
        }
    }

    static List<BounceClassifier.Rule> parse(Path file, String text) throws ConfigException {
        TomlParseResult toml = TomlText.parse(file, text);
        for (String key : toml.keySet()) {
            if (!key.equals("rules")) {
                throw new ConfigException(file, line(toml.inputPositionOf(key)), key, "unknown key (expected [rules])");
            }
        }
        Object value = toml.get("rules");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlTable table)) {
            throw new ConfigException(file, line(toml.inputPositionOf("rules")), "rules", "expected a table [rules]");
        }
        List<String> categories = new ArrayList<>(table.keySet());
        // as written in the file: the first matching rule wins, so order is meaning
        categories.sort(Comparator.comparing((String k) -> table.inputPositionOf(List.of(k)).line())
                .thenComparing(k -> table.inputPositionOf(List.of(k)).column()));
        List<BounceClassifier.Rule> rules = new ArrayList<>();
        for (String category : categories) {
            String key = "rules." + category;
            Optional<Integer> line = line(table.inputPositionOf(List.of(category)));
            if (!(table.get(List.of(category)) instanceof TomlArray patterns)) {
                throw new ConfigException(file, line, key, "expected an array of regular expressions");
            }
            for (int i = 0; i < patterns.size(); i++) {
                Optional<Integer> at = elementLine(text, patterns.inputPositionOf(i)).or(() -> line);
                if (!(patterns.get(i) instanceof String regex)) {
                    throw new ConfigException(file, at, key + "[" + i + "]", "expected a string");
                }
                try {
                    rules.add(new BounceClassifier.Rule(category, Pattern.compile(regex)));
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(file, at, key + "[" + i + "]",
                            "bad regular expression: " + e.getDescription() + " near index " + e.getIndex() + " of \"" + regex + "\"");
                }
            }
        }
        return rules;
    }

    /**
     * The line of an array element: tomlj gives the position just after the token before it (the {@code [} or
     * {@code ,}), so skip the white space and comments that follow.
     */
    private static Optional<Integer> elementLine(String text, TomlPosition position) {
        if (position == null) {
            return Optional.empty();
        }
        String[] lines = text.split("\n", -1);
        int line = position.line();
        int column = position.column() - 1;
        while (line <= lines.length) {
            String rest = column < lines[line - 1].length() ? lines[line - 1].substring(column).strip() : "";
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                return Optional.of(line);
            }
            line++;
            column = 0;
        }
        return Optional.of(position.line());
    }

    private static Optional<Integer> line(TomlPosition position) {
        return Optional.ofNullable(position).map(TomlPosition::line);
    }
}
