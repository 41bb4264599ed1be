package io.runnel.kernel.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RunnelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartNeededTest {

    @TempDir
    Path home;

    private RunnelConfig load(String toml) throws Exception {
        Path file = home.resolve("conf/runnel.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml);
        return new ConfigLoader(home).load(file);
    }

    @Test
    void aChangedRedisTableNeedsARestart() throws Exception {
        RunnelConfig running = load("[redis]\nurl = \"redis://127.0.0.1:6379\"\n");
        assertThat(RestartNeeded.between(running, load("[redis]\nurl = \"redis://127.0.0.1:6379\"\n"))).isEmpty();
        assertThat(RestartNeeded.between(running, load("[redis]\nurl = \"redis://127.0.0.1:6380\"\n"))).containsExactly("redis");
        assertThat(RestartNeeded.between(running, load(""))).containsExactly("redis");
    }
}
