package io.runnel.plugin.spamassassin;

import io.runnel.api.dns.DnsResolver;
import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A {@link PluginContext} for tests: map config, system clock, no DNS (the scanner never resolves through it). */
record TestContext(ConfigSection config) implements PluginContext {

    static TestContext of(Map<String, ?> config) {
        return new TestContext(new MapConfig("plugins.spamassassin", config));
    }

    @Override
    public String pluginId() {
        return "spamassassin";
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
        throw new UnsupportedOperationException("the spamd scanner does not resolve through the kernel");
    }
}
