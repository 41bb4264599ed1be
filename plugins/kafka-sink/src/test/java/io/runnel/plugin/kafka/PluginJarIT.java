package io.runnel.plugin.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.testing.IsolatedPluginHost;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged plugin jar, loaded through pf4j with nothing but the plugin API and pf4j beneath it. */
class PluginJarIT {

    @Test
    void pluginJarCarriesKafkaClientsAndProducesThroughIt(@TempDir Path plugins) throws Exception {
        try (IsolatedPluginHost host = IsolatedPluginHost.load(Path.of(System.getProperty("plugin.jar")), plugins)) {
            assertThat(host.plugin("kafka").getDescriptor().getRequires()).isEqualTo(">=1.0.0 & <2.0.0");
            assertThat(host.extensionClassNames("kafka")).containsExactly(KafkaLogSink.class.getName());

            // nothing listens on the discard port: the producer runs from the plugin's own classes, zstd included
            String outcome = host.publishOne("kafka", KafkaLogSink.class.getName(),
                    Map.of("bootstrap_servers", List.of("127.0.0.1:9"), "topic", "t", "delivery_timeout", "2s",
                            "producer_properties", List.of("compression.type=zstd")));

            assertThat(outcome).startsWith("java.io.IOException: Kafka did not take");
        }
    }
}
