package io.runnel.plugin.clamav;

import io.runnel.api.dns.DnsResolver;
import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A {@link PluginContext} for tests: map config, system clock, no DNS (the scanner never resolves through it). */
record TestContext(ConfigSection config) implements PluginContext {

    static TestContext of(Map<String, ?> config) {
        return new TestContext(new MapConfig("plugins.clamav", config));
    }

    static ClamdScanner scanner(Map<String, ?> config) throws PluginConfigException {
        return new ClamdScanner(of(config));
    }

    @Override
    public String pluginId() {
        return "clamav";
    }

    @Override
    public Path home() {
        return Path.of(".");
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public DnsResolver dns() {
        throw new UnsupportedOperationException("the ClamAV scanner does not resolve");
    }
}
