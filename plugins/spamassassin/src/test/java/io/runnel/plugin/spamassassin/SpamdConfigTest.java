package io.runnel.plugin.spamassassin;

import io.runnel.api.testing.MapConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.plugin.PluginConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpamdConfigTest {

    private static SpamdConfig read(Map<String, ?> values) throws PluginConfigException {
        return SpamdConfig.read(new MapConfig("plugins.spamassassin", values));
    }

    @Test
    void anEmptySectionGivesTheDefaults() throws Exception {
        assertThat(read(Map.of())).isEqualTo(
                new SpamdConfig("127.0.0.1", 783, Duration.ofSeconds(30), 1_000_000, Optional.empty()));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        assertThat(read(Map.of("host", "spamd.internal", "port", 7830L, "timeout", "5s", "max_size", 500_000L,
                "user", "mail"))).isEqualTo(
                new SpamdConfig("spamd.internal", 7830, Duration.ofSeconds(5), 500_000, Optional.of("mail")));
    }

    @Test
    void anUnknownKeyIsNamed() {
        assertThatThrownBy(() -> read(Map.of("max-size", 10L)))
                .isInstanceOf(PluginConfigException.class)
                .hasMessage("plugins.spamassassin.max-size: unknown key");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "port, 0",
        "port, 65536",
        "max_size, 0",
        "max_size, -5",
    })
    void anOutOfRangeNumberIsRejectedNamingItsKey(String key, long value) {
        assertThatThrownBy(() -> read(Map.of(key, value)))
                .isInstanceOfSatisfying(PluginConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("plugins.spamassassin." + key));
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource({
        "timeout, 0s",
        "host, ' '",
        "user, ' '",
        "user, 'two words'",
    })
    void aBadStringValueIsRejectedNamingItsKey(String key, String value) {
        assertThatThrownBy(() -> read(Map.of(key, value)))
                .isInstanceOfSatisfying(PluginConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("plugins.spamassassin." + key));
    }

    @Test
    void aPortGivenAsAStringIsATypeError() {
        assertThatThrownBy(() -> read(Map.of("port", "783")))
                .isInstanceOfSatisfying(PluginConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("plugins.spamassassin.port"));
    }
}
