package io.runnel.api.testing;

import io.runnel.api.dns.DnsResolver;
import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A {@link PluginContext} for plugin tests (shipped in plugin-api's test jar): a {@link MapConfig} section, a home
 * folder and a clock; no DNS, since no plugin under test resolves through the kernel.
 */
public record TestPluginContext(String pluginId, ConfigSection config, Path home, Clock clock) implements PluginContext {

    /** Plugin {@code id} with {@code [plugins.<id>]} = {@code config}, the current folder as home, the system clock. */
    public static TestPluginContext of(String id, Map<String, ?> config) {
        return of(id, config, Path.of("."), Clock.systemUTC());
    }

    public static TestPluginContext of(String id, Map<String, ?> config, Path home, Clock clock) {
        return new TestPluginContext(id, new MapConfig("plugins." + id, config), home, clock);
    }

    @Override
    public DnsResolver dns() {
        throw new UnsupportedOperationException("plugin tests do not resolve through the kernel");
    }
}
