package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a test's {@code conf/runnel.toml} under a home folder and loads it the way the daemon does. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static RunnelConfig load(Path home, String toml) throws Exception {
        Path file = home.resolve("conf/runnel.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml);
        return new ConfigLoader(home).load(file);
    }

    /** The error loading {@code toml} gives; fails the test when it loads. */
    static ConfigException failure(Path home, String toml) {
        Throwable thrown = catchThrowable(() -> load(home, toml));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }
}
