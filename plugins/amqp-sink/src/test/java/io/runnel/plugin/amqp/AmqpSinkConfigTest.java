package io.runnel.plugin.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.log.LogEvent;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.testing.LogEvents;
import io.runnel.api.testing.MapConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmqpSinkConfigTest {

    @Test
    void defaultsPublishToATopicExchangeOnLocalhostByTypeAndTenant() throws Exception {
        AmqpSinkConfig config = read(Map.of());

        assertThat(config.uri().toString()).isEqualTo("amqp://127.0.0.1:5672/%2F");
        assertThat(config.tls()).isFalse();
        assertThat(config.exchange()).isEqualTo("runnel.log");
        assertThat(config.declareExchange()).isFalse();
        assertThat(config.exchangeType()).isEqualTo("topic");
        assertThat(config.routingKey().render(LogEvents.record(LogEvent.Type.BOUNCE, "m", "acme", null)))
                .isEqualTo("Bounce.acme");
        assertThat(config.mandatory()).isTrue();
        assertThat(config.confirmTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.batchSize()).isEqualTo(500);
    }

    @Test
    void amqpsUriTurnsOnTlsAndTheCaFileIsResolvedAgainstHome() throws Exception {
        AmqpSinkConfig config = read(Map.of("uri", "amqps://mq.example.net/log", "tls_ca_file", "conf/ca.pem"));

        assertThat(config.tls()).isTrue();
        assertThat(config.caFile()).contains(Path.of("/opt/runnel/conf/ca.pem"));
    }

    @Test
    void rejectsAnUnknownRoutingKeyPlaceholderNamingTheKey() {
        assertThatThrownBy(() -> read(Map.of("routing_key", "{type}.{domain}")))
                .isInstanceOf(PluginConfigException.class)
                .hasMessageContaining("plugins.amqp.routing_key").hasMessageContaining("{domain}");
    }

    @Test
    void rejectsAnotherSchemeACaFileWithoutTlsAndAMisspeltKey() {
        assertThatThrownBy(() -> read(Map.of("uri", "http://mq.example.net/")))
                .hasMessageContaining("plugins.amqp.uri");
        assertThatThrownBy(() -> read(Map.of("tls_ca_file", "ca.pem")))
                .hasMessageContaining("plugins.amqp.tls_ca_file");
        assertThatThrownBy(() -> read(Map.of("exchnage", "x")))
                .isInstanceOf(PluginConfigException.class).hasMessageContaining("exchnage");
        assertThatThrownBy(() -> read(Map.of("exchange_type", "x-delayed")))
                .hasMessageContaining("plugins.amqp.exchange_type");
    }

    private static AmqpSinkConfig read(Map<String, ?> values) throws PluginConfigException {
        return AmqpSinkConfig.read(new MapConfig("plugins.amqp", values), Path.of("/opt/runnel"));
    }
}
