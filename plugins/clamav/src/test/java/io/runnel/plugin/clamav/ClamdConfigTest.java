package io.runnel.plugin.clamav;

import io.runnel.api.testing.MapConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.plugin.PluginConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClamdConfigTest {

    private static ClamdConfig read(Map<String, ?> values) throws PluginConfigException {
        return ClamdConfig.read(new MapConfig("plugins.clamav", values));
    }

    @Test
    void anEmptySectionGivesClamdsDefaults() throws Exception {
        assertThat(read(Map.of())).isEqualTo(
                new ClamdConfig("127.0.0.1", 3310, Duration.ofSeconds(30), 25_000_000L, 65_536));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        assertThat(read(Map.of("host", "clamd.internal", "port", 3311L, "timeout", "5s",
                "stream_max_length", 1000L, "chunk_size", 4096L)))
                .isEqualTo(new ClamdConfig("clamd.internal", 3311, Duration.ofSeconds(5), 1000L, 4096));
    }

    @Test
    void anUnknownKeyIsRejectedByName() {
        assertThatThrownBy(() -> read(Map.of("hots", "x"))).isInstanceOf(PluginConfigException.class)
                .hasMessageContaining("plugins.clamav.hots");
    }

    @Test
    void badValuesAreRejectedNamingTheirKey() {
        Map<String, Map<String, ?>> bad = Map.of(
                "port", Map.of("port", 70_000L),
                "timeout", Map.of("timeout", "0s"),
                "stream_max_length", Map.of("stream_max_length", 0L),
                "chunk_size", Map.of("chunk_size", 0L),
                "host", Map.of("host", " "));
        bad.forEach((key, values) -> assertThatThrownBy(() -> read(values)).as(key)
                .isInstanceOfSatisfying(PluginConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("plugins.clamav." + key)));
    }

    @Test
    void aValueOfTheWrongTypeIsRejected() {
        assertThatThrownBy(() -> read(Map.of("port", "3310"))).isInstanceOf(PluginConfigException.class)
                .hasMessageContaining("plugins.clamav.port");
    }
}
