package io.runnel.plugin.spamassassin;

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
    void pf4jsAnnotationProcessorIndexesTheScannerAsAnExtension() throws Exception {
        List<URL> indexes = Collections.list(
                SpamdScanner.class.getClassLoader().getResources("META-INF/extensions.idx"));

        URL ours = SpamdScanner.class.getProtectionDomain().getCodeSource().getLocation();
        assertThat(indexes).noneMatch(url -> url.toString().contains("test-classes"));
        URL index = indexes.stream().filter(url -> url.toString().startsWith(ours.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no extensions.idx under " + ours));
        try (InputStream in = index.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines())
                    .contains(SpamdScanner.class.getName());
        }
    }

    @Test
    void scannerHasThePublicContextConstructorThePluginHostCalls() throws Exception {
        assertThat(SpamdScanner.class.getConstructor(PluginContext.class)).isNotNull();
    }
}
