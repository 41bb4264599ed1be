package io.runnel.kernel.anvil;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.config.Cidr;
import io.runnel.kernel.config.ClientLimits;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnvilTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Anvil anvil(int count, String connectionRate, int tracking) {
        return new Anvil(new ClientLimits(count, Optional.ofNullable(connectionRate).map(ThrottleSpec::parse),
                Optional.of(ThrottleSpec.parse("2/min")), Optional.empty(), List.of(Cidr.parse("192.0.2.0/24")), 64, tracking,
                new ClientLimits.AuthThrottle(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ZERO, Duration.ZERO)));
    }

    private static ClientKey key(Anvil anvil, String address) throws Exception {
        return anvil.key(InetAddress.getByName(address));
    }

    @Test
    void countsSessionsPerClientAndFreesThemOnDisconnect() throws Exception {
        Anvil anvil = anvil(2, null, 100);
        ClientKey c = key(anvil, "198.51.100.1");
        assertThat(anvil.connect(c, T0)).isEmpty();
        assertThat(anvil.connect(c, T0)).isEmpty();
        assertThat(anvil.connect(c, T0)).contains(Anvil.Refusal.TOO_MANY_CONNECTIONS);
        assertThat(anvil.connect(key(anvil, "198.51.100.2"), T0)).isEmpty();
        anvil.disconnect(c);
        assertThat(anvil.connect(c, T0)).isEmpty();
        anvil.disconnect(c);
        anvil.disconnect(c);
        anvil.disconnect(c); // one too many: no negative count
        assertThat(anvil.connectedClients()).isEqualTo(1);
    }

    @Test
    void connectionRateRefusesUntilTheRateAllowsAgain() throws Exception {
        Anvil anvil = anvil(0, "3/min", 100);
        ClientKey c = key(anvil, "198.51.100.1");
        for (int i = 0; i < 3; i++) {
            assertThat(anvil.connect(c, T0)).isEmpty();
        }
        assertThat(anvil.connect(c, T0)).contains(Anvil.Refusal.CONNECTING_TOO_FAST);
        assertThat(anvil.connect(c, T0.plusSeconds(20))).isEmpty();
    }

    @Test
    void messageRateIsPerClient() throws Exception {
        Anvil anvil = anvil(0, null, 100);
        ClientKey c = key(anvil, "198.51.100.1");
        assertThat(anvil.messageAllowed(c, T0)).isTrue();
        assertThat(anvil.messageAllowed(c, T0)).isTrue();
        assertThat(anvil.messageAllowed(c, T0)).isFalse();
        assertThat(anvil.messageAllowed(key(anvil, "198.51.100.2"), T0)).isTrue();
        assertThat(anvil.recipientAllowed(c, T0)).as("recipient rate off").isTrue();
    }

    @Test
    void exceptionsAreRecognised() throws Exception {
        Anvil anvil = anvil(1, null, 100);
        assertThat(anvil.exempt(InetAddress.getByName("192.0.2.77"))).isTrue();
        assertThat(anvil.exempt(InetAddress.getByName("198.51.100.1"))).isFalse();
    }

    @Test
    void rateStateOfABotnetStaysBoundedAndIdleClientsAreForgotten() throws Exception {
        Anvil anvil = anvil(0, "10/min", 500);
        for (int i = 0; i < 100_000; i++) {
            ClientKey c = anvil.key(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
            anvil.connect(c, T0);
            anvil.disconnect(c);
        }
        assertThat(anvil.trackedClients()).isEqualTo(500);
        assertThat(anvil.connectedClients()).isZero();
        anvil.connect(key(anvil, "198.51.100.1"), T0.plus(Duration.ofMinutes(2)));
        assertThat(anvil.trackedClients()).as("after a quiet spell only the new client is remembered").isEqualTo(1);
    }
}
