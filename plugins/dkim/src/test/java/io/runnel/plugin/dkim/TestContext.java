package io.runnel.plugin.dkim;

import io.runnel.api.dns.DnsResolver;
import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** A {@link PluginContext} for tests: map config, fixed clock, no DNS (signing never resolves). */
record TestContext(ConfigSection config, Path home, Clock clock) implements PluginContext {

    static TestContext of(Path home, long epochSecond, Map<String, ?> config) {
        return new TestContext(new MapConfig("plugins.dkim", config), home,
                Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    @Override
    public String pluginId() {
        return "dkim";
    }

    @Override
    public DnsResolver dns() {
        throw new UnsupportedOperationException("the DKIM signer does not resolve");
    }
}
