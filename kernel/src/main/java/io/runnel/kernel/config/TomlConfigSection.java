package io.runnel.kernel.config;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tomlj.TomlTable;

/**
 * A plugin's view of its TOML table: the kernel's own {@link TomlSection} behind the plugin API's
 * {@link ConfigSection}, so plugins get the same typed reads, unknown-key checks and messages as the kernel. The
 * API's exceptions carry no file; the line of each error is remembered so the kernel can report
 * {@code file:line} ({@link #where}).
 */
public final class TomlConfigSection implements ConfigSection {

    /** What a read throws in kernel terms. */
    private interface Read<T> {
        T get() throws ConfigException;
    }

    private final Path file;
    private final TomlSection section;
    /** Full key to line, shared by a root section and all its children. */
    private final Map<String, Integer> errorLines;

    private TomlConfigSection(Path file, TomlSection section, Map<String, Integer> errorLines) {
        this.file = file;
        this.section = section;
        this.errorLines = errorLines;
    }

    static TomlConfigSection root(Path file, TomlTable table, String path) {
        return new TomlConfigSection(file, new TomlSection(file, table, path, Optional.empty()), new ConcurrentHashMap<>());
    }

    /** Where the error's key is written: {@code file:line}, or just the file when the line is not known. */
    public String where(PluginConfigException e) {
        Integer at = errorLines.get(e.key());
        return at == null ? file.toString() : file + ":" + at;
    }

    @Override
    public String path() {
        return section.path();
    }

    @Override
    public Optional<String> string(String key) throws PluginConfigException {
        return read(() -> section.optionalString(key));
    }

    @Override
    public Optional<Long> integer(String key) throws PluginConfigException {
        return read(() -> section.optionalInteger(key));
    }

    @Override
    public Optional<Boolean> bool(String key) throws PluginConfigException {
        return read(() -> section.optionalBool(key));
    }

    @Override
    public Optional<Duration> duration(String key) throws PluginConfigException {
        return read(() -> section.optionalDuration(key));
    }

    @Override
    public List<String> strings(String key) throws PluginConfigException {
        return read(() -> section.strings(key, List.of()));
    }

    @Override
    public Optional<ConfigSection> section(String key) throws PluginConfigException {
        return read(() -> section.section(key)).map(this::child);
    }

    @Override
    public List<ConfigSection> sections(String key) throws PluginConfigException {
        List<ConfigSection> out = new ArrayList<>();
        for (TomlSection child : read(() -> section.sections(key))) {
            out.add(child(child));
        }
        return out;
    }

    @Override
    public void rejectUnknownKeys() throws PluginConfigException {
        read(() -> {
            section.rejectUnknownKeys();
            return null;
        });
    }

    @Override
    public PluginConfigException error(String key, String reason) {
        return convert(section.error(key, reason));
    }

    private ConfigSection child(TomlSection child) {
        return new TomlConfigSection(file, child, errorLines);
    }

    private <T> T read(Read<T> read) throws PluginConfigException {
        try {
            return read.get();
        } catch (ConfigException e) {
            throw convert(e);
        }
    }

    private PluginConfigException convert(ConfigException e) {
        e.line().ifPresent(line -> errorLines.put(e.key(), line));
        return new PluginConfigException(e.key(), e.reason());
    }
}
