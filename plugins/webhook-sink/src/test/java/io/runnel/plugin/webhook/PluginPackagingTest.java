package io.runnel.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.plugin.PluginContext;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginPackagingTest {

    @Test
    void pf4jsAnnotationProcessorIndexesTheSinkAsAnExtension() throws Exception {
        List<URL> indexes = Collections.list(WebhookSink.class.getClassLoader().getResources("META-INF/extensions.idx"));
        URL ours = WebhookSink.class.getProtectionDomain().getCodeSource().getLocation();
        URL index = indexes.stream().filter(url -> url.toString().startsWith(ours.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no extensions.idx under " + ours));
        try (InputStream in = index.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()).contains(WebhookSink.class.getName());
        }
    }

    @Test
    void sinkHasThePublicContextConstructorThePluginHostCalls() throws Exception {
        assertThat(WebhookSink.class.getConstructor(PluginContext.class)).isNotNull();
    }
}
