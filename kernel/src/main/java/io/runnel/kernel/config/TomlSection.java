package io.runnel.kernel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Typed, tracked reads from one TOML table. Every read records the key, so {@link #rejectUnknownKeys()} can name
 * whatever the file has that nobody asked for: a misspelt key never passes silently. Errors carry file, line and
 * the full key path.
 */
final class TomlSection {

    private final Path file;
    private final TomlTable table;
    private final String path;
    private final Optional<TomlPosition> position;
    /** Concurrent: a plugin's extensions may read their section from several threads. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    TomlSection(Path file, TomlTable table, String path, Optional<TomlPosition> position) {
        this.file = file;
        this.table = table;
        this.path = path;
        this.position = position;
    }

    String path() {
        return path;
    }

    /** The keys the table has, in file order. */
    Set<String> keys() {
        return table.keySet();
    }

    /** A key's value as tomlj gives it (String, Long, Double, Boolean, TomlTable, TomlArray, ...), or null. */
    Object raw(String key) {
        return read(key);
    }

    /** The table itself, for a reader of its own (automation entries). */
    TomlTable table() {
        return table;
    }

    /** The line the table starts on, if known. */
    Optional<Integer> line() {
        return position.map(TomlPosition::line);
    }

    Optional<String> optionalString(String key) throws ConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw error(key, "expected a string, got " + describe(value));
        }
        return Optional.of(s);
    }

    String string(String key, String fallback) throws ConfigException {
        return optionalString(key).orElse(fallback);
    }

    Optional<Long> optionalInteger(String key) throws ConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Long l)) {
            throw error(key, "expected an integer, got " + describe(value));
        }
        return Optional.of(l);
    }

    long integer(String key, long fallback, long min, long max) throws ConfigException {
        Optional<Long> value = optionalInteger(key);
        if (value.isEmpty()) {
            return fallback;
        }
        long l = value.get();
        if (l < min || l > max) {
            throw error(key, "must be between " + min + " and " + max + ", got " + l);
        }
        return l;
    }

    /** A number, written with or without a fraction ({@code 5} or {@code 5.5}). */
    Optional<Double> optionalNumber(String key) throws ConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Double d) {
            return Optional.of(d);
        }
        if (value instanceof Long l) {
            return Optional.of(l.doubleValue());
        }
        throw error(key, "expected a number, got " + describe(value));
    }

    Optional<Boolean> optionalBool(String key) throws ConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean b)) {
            throw error(key, "expected true or false, got " + describe(value));
        }
        return Optional.of(b);
    }

    boolean bool(String key, boolean fallback) throws ConfigException {
        return optionalBool(key).orElse(fallback);
    }

    /** A size such as {@code 50MiB}, {@code 10MB}, {@code 4096} (bytes). */
    long size(String key, long fallback) throws ConfigException {
        Object value = read(key);
        if (value == null) {
            return fallback;
        }
        try {
            if (value instanceof Long l && l > 0) {
                return l;
            }
            if (value instanceof String s) {
                return Sizes.parse(s);
            }
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
        throw error(key, "expected a size such as \"50MiB\", got " + describe(value));
    }

    /** A duration such as {@code 300s}, {@code 5m}, {@code 1h}, {@code 250ms}. */
    Duration duration(String key, Duration fallback) throws ConfigException {
        return optionalDuration(key).orElse(fallback);
    }

    Optional<Duration> optionalDuration(String key) throws ConfigException {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(text.get()));
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) throws ConfigException {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().replace("_", "").equalsIgnoreCase(text.get().replace("_", "").replace("-", ""))) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add('"' + constant.name().toLowerCase() + '"');
        }
        throw error(key, "must be one of " + String.join(", ", names) + ", got \"" + text.get() + "\"");
    }

    List<String> strings(String key, List<String> fallback) throws ConfigException {
        Object value = read(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof TomlArray array)) {
            throw error(key, "expected an array of strings, got " + describe(value));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                throw error(key + "[" + i + "]", "expected a string, got " + describe(array.get(i)));
            }
            out.add(s);
        }
        return out;
    }

    Optional<TomlSection> section(String key) throws ConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof TomlTable child)) {
            throw error(key, "expected a table [" + qualified(key) + "], got " + describe(value));
        }
        return Optional.of(new TomlSection(file, child, qualified(key), Optional.ofNullable(table.inputPositionOf(List.of(key)))));
    }

    /** An array of tables, {@code [[key]]}. */
    List<TomlSection> sections(String key) throws ConfigException {
        Object value = read(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlArray array)) {
            throw error(key, "expected an array of tables [[" + qualified(key) + "]], got " + describe(value));
        }
        List<TomlSection> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable child)) {
                throw error(key, "expected an array of tables [[" + qualified(key) + "]], got " + describe(array.get(i)) + " in it");
            }
            out.add(new TomlSection(file, child, qualified(key) + "[" + i + "]", Optional.ofNullable(array.inputPositionOf(i))));
        }
        return out;
    }

    /**
     * The sub-tables no read has asked for, by key, now counted as read: they are handed on raw (the per-plugin
     * {@code [plugins.<id>]} sections, which only the plugin knows how to read).
     */
    Map<String, TomlTable> remainingTables() {
        Map<String, TomlTable> out = new LinkedHashMap<>();
        for (String key : table.keySet()) {
            if (!known.contains(key) && table.get(List.of(key)) instanceof TomlTable child) {
                known.add(key);
                out.put(key, child);
            }
        }
        return out;
    }

    /** Fails on the first key of this table that no read asked for. */
    void rejectUnknownKeys() throws ConfigException {
        for (String key : table.keySet()) {
            if (!known.contains(key)) {
                throw error(key, "unknown key");
            }
        }
    }

    /** An error about a key of this section. */
    ConfigException error(String key, String reason) {
        TomlPosition at = key.isEmpty() ? null : table.inputPositionOf(List.of(key)); // as one key: a dotted or odd name is not parsed
        Optional<Integer> line = at != null ? Optional.of(at.line()) : position.map(TomlPosition::line);
        return new ConfigException(file, line, qualified(key), reason);
    }

    private Object read(String key) {
        known.add(key);
        return table.get(List.of(key));
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(Object value) {
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
