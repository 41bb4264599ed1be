package io.runnel.kernel.config;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A plugin's view of its TOML table. Errors name the full key; the line of each error is remembered so the kernel
 * can report {@code file:line} without the plugin API knowing about files ({@link #where}). Reads may come from
 * several extensions of one plugin, possibly on different threads, hence the concurrent sets.
 */
public final class TomlConfigSection implements ConfigSection {

    private final Path file;
    private final TomlTable table;
    private final String path;
    private final Optional<Integer> line;
    /** Full key to line, shared by a root section and all its children. */
    private final Map<String, Integer> errorLines;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    private TomlConfigSection(Path file, TomlTable table, String path, Optional<Integer> line,
                              Map<String, Integer> errorLines) {
        this.file = file;
        this.table = table;
        this.path = path;
        this.line = line;
        this.errorLines = errorLines;
    }

    static TomlConfigSection root(Path file, TomlTable table, String path) {
        return new TomlConfigSection(file, table, path, Optional.empty(), new ConcurrentHashMap<>());
    }

    /** Where the error's key is written: {@code file:line}, or just the file when the line is not known. */
    public String where(PluginConfigException e) {
        Integer at = errorLines.get(e.key());
        return at == null ? file.toString() : file + ":" + at;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Optional<String> string(String key) throws PluginConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw error(key, "expected a string, got " + describe(value));
        }
        return Optional.of(s);
    }

    @Override
    public Optional<Long> integer(String key) throws PluginConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Long l)) {
            throw error(key, "expected an integer, got " + describe(value));
        }
        return Optional.of(l);
    }

    @Override
    public Optional<Boolean> bool(String key) throws PluginConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean b)) {
            throw error(key, "expected true or false, got " + describe(value));
        }
        return Optional.of(b);
    }

    @Override
    public Optional<Duration> duration(String key) throws PluginConfigException {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(text.get()));
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    @Override
    public List<String> strings(String key) throws PluginConfigException {
        Object value = read(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlArray array)) {
            throw error(key, "expected an array of strings, got " + describe(value));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                throw error(key, "expected a string at [" + i + "], got " + describe(array.get(i)));
            }
            out.add(s);
        }
        return out;
    }

    @Override
    public Optional<ConfigSection> section(String key) throws PluginConfigException {
        Object value = read(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof TomlTable child)) {
            throw error(key, "expected a table [" + qualified(key) + "], got " + describe(value));
        }
        return Optional.of(child(child, qualified(key), table.inputPositionOf(key)));
    }

    @Override
    public List<ConfigSection> sections(String key) throws PluginConfigException {
        Object value = read(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlArray array)) {
            throw error(key, "expected an array of tables [[" + qualified(key) + "]], got " + describe(value));
        }
        List<ConfigSection> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable child)) {
                throw error(key, "expected an array of tables [[" + qualified(key) + "]]");
            }
            out.add(child(child, qualified(key) + "[" + i + "]", array.inputPositionOf(i)));
        }
        return out;
    }

    @Override
    public void rejectUnknownKeys() throws PluginConfigException {
        for (String key : new HashSet<>(table.keySet())) {
            if (!known.contains(key)) {
                throw error(key, "unknown key");
            }
        }
    }

    @Override
    public PluginConfigException error(String key, String reason) {
        TomlPosition at = table.inputPositionOf(key);
        Optional<Integer> lineOfKey = at != null ? Optional.of(at.line()) : line;
        String full = qualified(key);
        lineOfKey.ifPresent(l -> errorLines.put(full, l));
        return new PluginConfigException(full, reason);
    }

    private TomlConfigSection child(TomlTable child, String childPath, TomlPosition at) {
        Optional<Integer> childLine = at != null ? Optional.of(at.line()) : line;
        return new TomlConfigSection(file, child, childPath, childLine, errorLines);
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
