package io.runnel.plugin.clamav;

import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.testing.TestPluginContext;
import java.util.Map;

/** The scanner under test, made with a {@link TestPluginContext}. */
final class TestContext {

    private TestContext() {
    }

    static TestPluginContext of(Map<String, ?> config) {
        return TestPluginContext.of("clamav", config);
    }

    static ClamdScanner scanner(Map<String, ?> config) throws PluginConfigException {
        return new ClamdScanner(of(config));
    }
}
