package io.runnel.plugin.dkim;

import io.runnel.api.testing.TestPluginContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** The DKIM plugin's {@link TestPluginContext}, with a fixed clock so signatures are reproducible. */
final class TestContext {

    private TestContext() {
    }

    static TestPluginContext of(Path home, long epochSecond, Map<String, ?> config) {
        return TestPluginContext.of("dkim", config, home, Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }
}
