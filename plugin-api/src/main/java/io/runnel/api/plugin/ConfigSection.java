package io.runnel.api.plugin;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Typed, tracked reads from one table of the configuration. Each read remembers its key, so
 * {@link #rejectUnknownKeys()} can name a misspelt one. Every failure is a {@link PluginConfigException} naming
 * the full key.
 *
 * @since API 1.0
 */
public interface ConfigSection {

    /** The dotted path of this table, e.g. {@code plugins.dkim.domain[0]}. */
    String path();

    Optional<String> string(String key) throws PluginConfigException;

    Optional<Long> integer(String key) throws PluginConfigException;

    Optional<Boolean> bool(String key) throws PluginConfigException;

    /** A duration such as {@code 30s}, {@code 5m}. */
    Optional<Duration> duration(String key) throws PluginConfigException;

    /** An array of strings; empty list when absent. */
    List<String> strings(String key) throws PluginConfigException;

    /** A sub-table {@code [path.key]}. */
    Optional<ConfigSection> section(String key) throws PluginConfigException;

    /** An array of tables {@code [[path.key]]}; empty list when absent. */
    List<ConfigSection> sections(String key) throws PluginConfigException;

    /** Fails on the first key of this table no read asked for. */
    void rejectUnknownKeys() throws PluginConfigException;

    /** An error about {@code key} of this table, for values the plugin itself finds wrong. */
    PluginConfigException error(String key, String reason);
}
