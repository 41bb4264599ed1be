package io.runnel.plugin.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.testing.MapConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSinkConfigTest {

    @Test
    void producerIsIdempotentWithAllAcksAndEveryWaitBounded() throws Exception {
        Properties props = read(Map.of()).producerProperties();

        assertThat(props).containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("max.in.flight.requests.per.connection", "5")
                .containsEntry("delivery.timeout.ms", "30000").containsEntry("request.timeout.ms", "10000")
                .containsEntry("max.block.ms", "30000").containsEntry("client.id", "runnel-log-sink");
    }

    @Test
    void aShortDeliveryTimeoutLeavesRoomForLingerInTheRequestTimeout() throws Exception {
        KafkaSinkConfig config = read(Map.of("delivery_timeout", "4s"));

        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void producerPropertiesPassThroughButNotTheOnesCarryingTheGuarantees() throws Exception {
        assertThat(read(Map.of("producer_properties", List.of("compression.type=zstd", "linger.ms = 20")))
                .producerProperties()).containsEntry("compression.type", "zstd").containsEntry("linger.ms", "20");

        assertThatThrownBy(() -> read(Map.of("producer_properties", List.of("acks=1"))))
                .isInstanceOf(PluginConfigException.class)
                .hasMessageContaining("plugins.kafka.producer_properties").hasMessageContaining("acks");
        assertThatThrownBy(() -> read(Map.of("producer_properties", List.of("no-equals-sign"))))
                .hasMessageContaining("name=value");
    }

    @Test
    void topicAndServersAreRequiredAndTimeoutsMustFit() {
        assertThatThrownBy(() -> KafkaSinkConfig.read(new MapConfig("plugins.kafka", Map.of("topic", "t"))))
                .hasMessageContaining("plugins.kafka.bootstrap_servers");
        assertThatThrownBy(() -> KafkaSinkConfig.read(new MapConfig("plugins.kafka",
                Map.of("bootstrap_servers", List.of("k:9092"))))).hasMessageContaining("plugins.kafka.topic");
        assertThatThrownBy(() -> read(Map.of("delivery_timeout", "5s", "request_timeout", "10s")))
                .hasMessageContaining("plugins.kafka.request_timeout");
    }

    private static KafkaSinkConfig read(Map<String, ?> extra) throws PluginConfigException {
        Map<String, Object> values = new HashMap<>(Map.of("bootstrap_servers", List.of("k1:9092", "k2:9092"),
                "topic", "runnel-log"));
        values.putAll(extra);
        return KafkaSinkConfig.read(new MapConfig("plugins.kafka", values));
    }
}
