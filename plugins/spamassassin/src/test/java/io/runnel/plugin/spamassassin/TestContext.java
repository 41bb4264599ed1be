package io.runnel.plugin.spamassassin;

import io.runnel.api.testing.TestPluginContext;
import java.util.Map;

/** The spamassassin plugin's {@link TestPluginContext}. */
final class TestContext {

    private TestContext() {
    }

    static TestPluginContext of(Map<String, ?> config) {
        return TestPluginContext.of("spamassassin", config);
    }
}
