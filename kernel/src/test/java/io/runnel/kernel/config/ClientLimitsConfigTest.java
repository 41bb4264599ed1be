package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.kernel.shaping.ThrottleSpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener's abuse-resistance keys: defaults, parsing, and errors naming file, line and key. */
class ClientLimitsConfigTest {

    @TempDir
    Path home;

    private ListenerConfig listener(String keys) throws Exception {
        return new ConfigLoader(home).parse(home.resolve("runnel.toml"), "[[listener]]\n" + keys).listeners().get(0);
    }

    @Test
    void defaultsLimitEveryClientOutsideTheRelayNetworks() throws Exception {
        ListenerConfig l = listener("relay_hosts = [\"10.0.0.0/8\"]\n");
        ClientLimits c = l.clients();
        assertThat(c.connectionCountLimit()).isEqualTo(50);
        assertThat(c.connectionRate()).contains(ThrottleSpec.parse("300/min"));
        assertThat(c.messageRate()).contains(ThrottleSpec.parse("1000/min"));
        assertThat(c.recipientRate()).contains(ThrottleSpec.parse("10000/min"));
        assertThat(c.exceptions()).as("Postfix: $mynetworks").containsExactly(Cidr.parse("10.0.0.0/8"));
        assertThat(c.ipv6Prefix()).isEqualTo(64);
        assertThat(c.auth()).isEqualTo(new ClientLimits.AuthThrottle(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15),
                Duration.ofSeconds(1), Duration.ofSeconds(16)));
        assertThat(l.limits().minDataRate()).isEqualTo(500);
        assertThat(l.limits().maxJunkCommands()).isEqualTo(100);
        assertThat(l.tlsSettings()).isEqualTo(TlsSettings.defaults());
    }

    @Test
    void theDefaultListenerExemptsLoopbackOnly() throws Exception {
        ListenerConfig l = new ConfigLoader(home).parse(home.resolve("runnel.toml"), "").listeners().get(0);
        assertThat(l.name()).isEqualTo("default");
        assertThat(l.clients().exceptions()).anyMatch(cidr -> cidr.contains(InetAddress.getLoopbackAddress()));
        InetAddress outside = InetAddress.getByName("192.0.2.1");
        assertThat(l.clients().exceptions()).noneMatch(cidr -> cidr.contains(outside));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        ListenerConfig l = listener("""
                client_connection_count_limit = 0
                client_connection_rate_limit = "off"
                client_message_rate_limit = "20/min,max_burst=5"
                client_recipient_rate_limit = "100/h"
                client_limit_exceptions = []
                client_ipv6_prefix = 56
                client_tracking_limit = 1000
                auth_failure_limit = 3
                auth_user_failure_limit = 0
                auth_failure_window = "1h"
                auth_lockout = "2h"
                auth_failure_delay = "2s"
                auth_failure_max_delay = "30s"
                min_data_rate = 100
                max_junk_commands = 20
                tls_protocols = ["TLSv1.3"]
                tls_ciphers = ["TLS_AES_128_GCM_SHA256"]
                """);
        ClientLimits c = l.clients();
        assertThat(c.connectionCountLimit()).isZero();
        assertThat(c.connectionRate()).isEmpty();
        assertThat(c.messageRate().orElseThrow().maxBurst()).isEqualTo(5);
        assertThat(c.exceptions()).isEmpty();
        assertThat(c.ipv6Prefix()).isEqualTo(56);
        assertThat(c.trackingLimit()).isEqualTo(1000);
        assertThat(c.auth()).isEqualTo(new ClientLimits.AuthThrottle(3, 0, Duration.ofHours(1), Duration.ofHours(2),
                Duration.ofSeconds(2), Duration.ofSeconds(30)));
        assertThat(l.limits().minDataRate()).isEqualTo(100);
        assertThat(l.tlsSettings().protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void protocolsOlderThanTls12StopTheStartNamingTheKey() {
        assertThatThrownBy(() -> listener("tls_protocols = [\"TLSv1.2\", \"TLSv1.1\"]\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("runnel.toml:2")
                .hasMessageContaining("listener[0].tls_protocols").hasMessageContaining("RFC 8996");
    }

    @Test
    void aBadRateNamesTheKey() {
        assertThatThrownBy(() -> listener("client_message_rate_limit = \"lots\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("client_message_rate_limit").hasMessageContaining("off");
    }

    @Test
    void anIpv6PrefixOutOfRangeNamesTheKey() {
        assertThatThrownBy(() -> listener("client_ipv6_prefix = 129\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("client_ipv6_prefix");
    }

    @Test
    void theShippedConfigurationSpellsOutTheDefaults() throws Exception {
        Path dist = Path.of("../distribution/src/main/dist");
        ListenerConfig shipped = new ConfigLoader(dist).load(dist.resolve("conf/runnel.toml")).listeners().get(0);
        ListenerConfig defaults = listener("");
        assertThat(shipped.clients()).isEqualTo(defaults.clients());
        assertThat(shipped.limits()).isEqualTo(defaults.limits());
        assertThat(shipped.tlsSettings()).isEqualTo(defaults.tlsSettings());
    }
}
