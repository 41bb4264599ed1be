package io.runnel.kernel.plugin;

import java.util.Objects;

/**
 * A started extension and the plugin it came from (the id is what {@link PluginInvoker} counts and reports by).
 * Callers use it for a call and do not keep it beyond the daemon's life.
 */
public record PluginExtension<T>(String pluginId, T extension) {

    public PluginExtension {
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(extension, "extension");
    }
}
