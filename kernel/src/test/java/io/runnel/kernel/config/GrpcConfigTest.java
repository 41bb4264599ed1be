package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrpcConfigTest {

    @TempDir
    Path home;

    private GrpcConfig load(String toml) throws Exception {
        return new ConfigLoader(home).parse(home.resolve("runnel.toml"), toml).grpc();
    }

    @Test
    void theControlPlaneIsOnByDefaultOnLoopbackPort8901WithoutTls() throws Exception {
        GrpcConfig grpc = load("");
        assertThat(grpc.enabled()).isTrue();
        assertThat(grpc.listen().getAddress().isLoopbackAddress()).isTrue();
        assertThat(grpc.listen().getPort()).isEqualTo(8901);
        assertThat(grpc.tls()).isFalse();
        assertThat(grpc.authenticates()).isFalse();
    }

    @Test
    void aNonLoopbackAddressWithoutTlsStopsTheStartNamingTheLine() {
        assertThatThrownBy(() -> load("[grpc]\nlisten = \"0.0.0.0:8901\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("runnel.toml:2")
                .hasMessageContaining("grpc.listen").hasMessageContaining("TLS");
    }

    @Test
    void aNonLoopbackAddressWithTlsButNoAuthenticationStopsTheStart() throws Exception {
        Files.writeString(home.resolve("c.pem"), "x");
        Files.writeString(home.resolve("k.pem"), "x");
        assertThatThrownBy(() -> load("""
                [grpc]
                listen = "192.0.2.10:8901"
                tls_certificate = "c.pem"
                tls_private_key = "k.pem"
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("grpc.listen")
                .hasMessageContaining("token_file or client_ca_file");
    }

    @Test
    void aNonLoopbackAddressWithTlsAndATokenIsAccepted() throws Exception {
        Files.writeString(home.resolve("c.pem"), "x");
        Files.writeString(home.resolve("k.pem"), "x");
        Files.writeString(home.resolve("token"), "x".repeat(32));
        GrpcConfig grpc = load("""
                [grpc]
                listen = "[::]:9443"
                tls_certificate = "c.pem"
                tls_private_key = "k.pem"
                token_file = "token"
                """);
        assertThat(grpc.tls()).isTrue();
        assertThat(grpc.authenticates()).isTrue();
        assertThat(grpc.listen().getPort()).isEqualTo(9443);
    }

    @Test
    void missingFilesAndBadAddressesNameTheKey() {
        assertThatThrownBy(() -> load("[grpc]\ntoken_file = \"absent\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("grpc.token_file").hasMessageContaining("cannot read");
        assertThatThrownBy(() -> load("[grpc]\nlisten = \"localhost:8901\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("grpc.listen");
        assertThatThrownBy(() -> load("[grpc]\nlisten = \"127.0.0.1:99999\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("bad port");
        assertThatThrownBy(() -> load("[grpc]\nlisten_on = \"127.0.0.1:1\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("grpc.listen_on");
    }
}
