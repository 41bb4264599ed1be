package io.runnel.api.plugin;

import io.runnel.api.dns.DnsResolver;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the kernel gives a plugin: its id, its own section of {@code runnel.toml}, the kernel's clock and DNS
 * resolver, and where relative paths in its configuration start. Extensions receive it in their constructor
 * ({@code public MySigner(PluginContext context)}); it is safe to keep.
 *
 * @since API 1.0
 */
public interface PluginContext {

    /** The plugin's id (its {@code Plugin-Id}). */
    String pluginId();

    /**
     * The plugin's configuration: the {@code [plugins.<id>]} section of {@code runnel.toml} (empty when absent).
     * A plugin reads it into its own record at construction and calls {@link ConfigSection#rejectUnknownKeys()};
     * a {@link PluginConfigException} stops the start with the plugin id, key and reason.
     */
    ConfigSection config();

    /** The folder relative paths in the configuration are resolved against (Runnel's home). */
    Path home();

    Clock clock();

    DnsResolver dns();
}
