package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Any runnel.toml: the loader returns a configuration or a {@link ConfigException} naming the file (and the line
 * when the TOML syntax is wrong), never another exception, so a typo never stops the daemon with a stack trace.
 * Seeds: {@code ConfigLoaderFuzzTestInputs/toml/} (the README's examples and the test configs).
 */
class ConfigLoaderFuzzTest {

    private static final Path HOME = Path.of(System.getProperty("java.io.tmpdir"), "runnel-config-fuzz");
    private static final Path FILE = HOME.resolve("conf/runnel.toml");

    @FuzzTest(maxDuration = "5m")
    void toml(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            RunnelConfig config = new ConfigLoader(HOME).parse(FILE, text);
            assertThat(config.listeners()).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.file()).isEqualTo(FILE);
            assertThat(e.reason()).isNotNull();
        }
    }
}
