package io.runnel.kernel.plugin;

import io.runnel.api.dns.DnsResolver;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import io.runnel.kernel.config.TomlConfigSection;
import java.nio.file.Path;
import java.time.Clock;

/** One plugin's context; shared by the plugin instance and all its extensions. */
record KernelPluginContext(String pluginId, TomlConfigSection config, Path home, Clock clock, DnsResolver dns)
        implements PluginContext {

    /** "runnel.toml:12: plugins.x.key: reason": where a plugin's configuration error is, for operators. */
    String describe(PluginConfigException e) {
        return "bad configuration at " + config.where(e) + ": " + e.getMessage();
    }
}
