package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisConfigTest {

    @TempDir
    Path home;

    private RunnelConfig load(String toml) throws Exception {
        return ConfigFiles.load(home, toml);
    }

    private ConfigException failure(String toml) {
        return ConfigFiles.failure(home, toml);
    }

    @Test
    void withoutRedisTableShapingIsLocal() throws Exception {
        RedisConfig redis = load("").redis();
        assertThat(redis).isEqualTo(RedisConfig.off());
        assertThat(redis.enabled()).isFalse();
        assertThat(redis.keyPrefix()).isEqualTo("runnel:");
        assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(redis.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsEveryKey() throws Exception {
        RedisConfig redis = load("""
                [redis]
                url = "rediss://shaper:s3cr%40t@redis.internal:6380/2"
                key_prefix = "mta-eu:"
                timeout = "50ms"
                lease_ttl = "10s"
                probe_interval = "2s"
                """).redis();
        assertThat(redis).isEqualTo(new RedisConfig(
                Optional.of(new RedisConfig.Endpoint("redis.internal", 6380, true, 2, Optional.of("shaper"), Optional.of("s3cr@t"))),
                "mta-eu:", Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofSeconds(2)));
    }

    @Test
    void aPasswordOnlyUrlAndDefaultsForPortAndDatabase() throws Exception {
        RedisConfig.Endpoint endpoint = load("[redis]\nurl = \"redis://:pw@127.0.0.1\"\n").redis().endpoint().orElseThrow();
        assertThat(endpoint).isEqualTo(new RedisConfig.Endpoint("127.0.0.1", 6379, false, 0, Optional.empty(), Optional.of("pw")));
    }

    @Test
    void thePasswordCanComeFromAFileAndIsNeverShown() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/redis.pass"), "hunter2\n");
        RedisConfig redis = load("[redis]\nurl = \"redis://127.0.0.1:7000\"\npassword_file = \"conf/redis.pass\"\n").redis();
        assertThat(redis.endpoint().orElseThrow().password()).contains("hunter2");
        assertThat(redis.toString()).doesNotContain("hunter2").contains("redis://127.0.0.1:7000/0");
    }

    @Test
    void badValuesNameFileLineAndKeyWithoutQuotingThePassword() {
        ConfigException e = failure("[server]\nhostname = \"mx.test\"\n\n[redis]\nurl = \"http://:secret@127.0.0.1:6379\"\n");
        assertThat(e.file()).isEqualTo(home.resolve("conf/runnel.toml"));
        assertThat(e.line()).contains(5);
        assertThat(e.key()).isEqualTo("redis.url");
        assertThat(e.getMessage()).contains("redis:// or rediss://").doesNotContain("secret");
        assertThat(failure("[redis]\nurl = \"redis://127.0.0.1/x\"\n").reason()).contains("database number");
        assertThat(failure("[redis]\nurl = \"redis:///\"\n").reason()).contains("no host");
        assertThat(failure("[redis]\ntimeout = \"0ms\"\n").key()).isEqualTo("redis.timeout");
        assertThat(failure("[redis]\ntimeout = \"5s\"\nlease_ttl = \"10s\"\n").reason()).contains("third of lease_ttl");
        assertThat(failure("[redis]\nlease_ttl = \"forever\"\n").key()).isEqualTo("redis.lease_ttl");
        assertThat(failure("[redis]\nkey_prefix = \"a b\"\n").key()).isEqualTo("redis.key_prefix");
        assertThat(failure("[redis]\nurl = \"redis://127.0.0.1\"\npassword_file = \"missing\"\n").key()).isEqualTo("redis.password_file");
        assertThat(failure("[redis]\nurl = \"redis://:pw@127.0.0.1\"\npassword_file = \"x\"\n").reason()).contains("one place");
        assertThat(failure("[redis]\nhost = \"127.0.0.1\"\n").key()).isEqualTo("redis.host");
    }
}
