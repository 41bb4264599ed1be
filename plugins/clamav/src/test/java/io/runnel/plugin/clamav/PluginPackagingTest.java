package io.runnel.plugin.clamav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginPackagingTest {

    @Test
    void pf4jsAnnotationProcessorIndexesTheScannerAsAnExtension() throws Exception {
        List<URL> indexes = Collections.list(ClamdScanner.class.getClassLoader().getResources("META-INF/extensions.idx"));

        URL ours = ClamdScanner.class.getProtectionDomain().getCodeSource().getLocation();
        // the index next to our classes, not an empty one from test-classes or the API jar
        assertThat(indexes).noneMatch(url -> url.toString().contains("test-classes"));
        URL index = indexes.stream().filter(url -> url.toString().startsWith(ours.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no extensions.idx under " + ours));
        try (InputStream in = index.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines())
                    .contains(ClamdScanner.class.getName());
        }
    }

    @Test
    void scannerHasThePublicContextConstructorThePluginHostCalls() throws Exception {
        assertThat(ClamdScanner.class.getConstructor(io.runnel.api.plugin.PluginContext.class)).isNotNull();
    }
}
