package io.runnel.plugin.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.testing.IsolatedPluginHost;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged plugin jar, loaded through pf4j with nothing but the plugin API and pf4j beneath it. */
class PluginJarIT {

    @Test
    void pluginJarCarriesAmqpClientAndPublishesThroughIt(@TempDir Path plugins) throws Exception {
        try (IsolatedPluginHost host = IsolatedPluginHost.load(Path.of(System.getProperty("plugin.jar")), plugins)) {
            assertThat(host.plugin("amqp").getDescriptor().getRequires()).isEqualTo(">=1.0.0 & <2.0.0");
            assertThat(host.extensionClassNames("amqp")).containsExactly(AmqpLogSink.class.getName());

            // nothing listens on the discard port: the whole client path runs, from the plugin's own classes
            String outcome = host.publishOne("amqp", AmqpLogSink.class.getName(),
                    Map.of("uri", "amqp://127.0.0.1:9/%2F", "connect_timeout", "2s"));

            assertThat(outcome).startsWith("java.net.ConnectException");
        }
    }
}
