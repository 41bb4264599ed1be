package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsConfigTest {

    @TempDir
    Path home;

    private RunnelConfig load(String toml) throws Exception {
        return ConfigFiles.load(home, toml);
    }

    private ConfigException failure(String toml) {
        return ConfigFiles.failure(home, toml);
    }

    @Test
    void metricsAreOffByDefaultAndWouldListenOnLoopback9464() throws Exception {
        MetricsConfig metrics = load("").metrics();
        assertThat(metrics).isEqualTo(new MetricsConfig(false, new InetSocketAddress("127.0.0.1", 9464), "/metrics", 100, 100));
    }

    @Test
    void readsEveryKey() throws Exception {
        MetricsConfig metrics = load("""
                [metrics]
                enabled = true
                listen = "[::1]:9100"
                path = "/prom/metrics"
                max_tenants = 5
                max_sites = 0
                """).metrics();
        assertThat(metrics).isEqualTo(new MetricsConfig(true, new InetSocketAddress("::1", 9100), "/prom/metrics", 5, 0));
    }

    @Test
    void aHostNameAsListenAddressIsAnErrorWithFileLineAndKey() {
        ConfigException e = failure("[server]\nhostname = \"mx.test\"\n\n[metrics]\nenabled = true\nlisten = \"localhost:9464\"\n");
        assertThat(e.file()).isEqualTo(home.resolve("conf/runnel.toml"));
        assertThat(e.line()).contains(6);
        assertThat(e.key()).isEqualTo("metrics.listen");
        assertThat(e.getMessage()).startsWith(home.resolve("conf/runnel.toml") + ":6: metrics.listen: expected an IP address and port");
    }

    @Test
    void aListenAddressWithoutPortOrWithABadPortIsAnError() {
        assertThat(failure("[metrics]\nlisten = \"127.0.0.1\"\n").key()).isEqualTo("metrics.listen");
        assertThat(failure("[metrics]\nlisten = \"127.0.0.1:99999\"\n").reason()).contains("port out of range");
        assertThat(failure("[metrics]\nlisten = \"127.0.0.1:http\"\n").reason()).contains("bad port");
        assertThat(failure("[metrics]\nlisten = \"::1:9464\"\n").key()).isEqualTo("metrics.listen");
    }

    @Test
    void badPathCapAndUnknownKeysAreNamed() {
        assertThat(failure("[metrics]\npath = \"metrics\"\n").key()).isEqualTo("metrics.path");
        assertThat(failure("[metrics]\nmax_tenants = -1\n").key()).isEqualTo("metrics.max_tenants");
        ConfigException unknown = failure("[metrics]\nport = 9464\n");
        assertThat(unknown.key()).isEqualTo("metrics.port");
        assertThat(unknown.reason()).isEqualTo("unknown key");
    }
}
