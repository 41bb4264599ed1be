package io.runnel.kernel.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tomlj.Toml;
import org.tomlj.TomlTable;

/**
 * The {@code [plugins]} section: where plugin jars live, which plugins must start, and each plugin's own
 * {@code [plugins.<id>]} table, kept raw because only the plugin knows its keys.
 *
 * @param path     folder of the plugin jars
 * @param required ids of plugins without which the daemon refuses to start
 * @param file     the configuration file, for error locations
 * @param tables   the {@code [plugins.<id>]} tables by plugin id
 */
public record PluginsConfig(Path path, List<String> required, Path file, Map<String, TomlTable> tables) {

    public PluginsConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(file, "file");
        required = List.copyOf(required);
        tables = Map.copyOf(tables);
    }

    /** A fresh, tracked view of {@code [plugins.<id>]}; empty when the file has no such table. */
    public TomlConfigSection section(String pluginId) {
        TomlTable table = tables.containsKey(pluginId) ? tables.get(pluginId) : Toml.parse("");
        return TomlConfigSection.root(file, table, "plugins." + pluginId);
    }
}
