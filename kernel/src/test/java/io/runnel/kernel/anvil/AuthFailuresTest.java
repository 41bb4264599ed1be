package io.runnel.kernel.anvil;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.config.ClientLimits.AuthThrottle;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AuthThrottle THROTTLE = new AuthThrottle(3, 5, Duration.ofMinutes(10), Duration.ofMinutes(15),
            Duration.ofSeconds(1), Duration.ofSeconds(4));

    private final AuthFailures failures = new AuthFailures(THROTTLE, 1000);

    private static ClientKey client(String address) throws Exception {
        return ClientKey.of(InetAddress.getByName(address), 64);
    }

    @Test
    void theNthFailureFromOneClientLocksItOutForTheLockoutPeriodOnly() throws Exception {
        ClientKey attacker = client("192.0.2.1");
        failures.failed(attacker, "a", T0);
        failures.failed(attacker, "b", T0);
        assertThat(failures.clientLocked(attacker, T0)).isFalse();
        failures.failed(attacker, "c", T0);
        assertThat(failures.clientLocked(attacker, T0.plusSeconds(1))).isTrue();
        assertThat(failures.clientLocked(client("192.0.2.2"), T0.plusSeconds(1))).as("other clients").isFalse();
        assertThat(failures.clientLocked(attacker, T0.plus(Duration.ofMinutes(15)))).isFalse();
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() throws Exception {
        ClientKey slow = client("192.0.2.1");
        failures.failed(slow, "a", T0);
        failures.failed(slow, "a", T0.plusSeconds(1));
        failures.failed(slow, "a", T0.plus(Duration.ofMinutes(11)));
        assertThat(failures.clientLocked(slow, T0.plus(Duration.ofMinutes(11)))).isFalse();
    }

    @Test
    void aUserNameIsLockedAfterFailuresFromManyClients() throws Exception {
        for (int i = 1; i <= 5; i++) {
            failures.failed(client("192.0.2." + i), "Alice", T0);
        }
        assertThat(failures.userLocked("alice", T0)).isTrue();
        assertThat(failures.userLocked("bob", T0)).isFalse();
    }

    @Test
    void theDelayDoublesWithEachFailureUpToTheMaximum() throws Exception {
        ClientKey c = client("2001:db8::1");
        AuthFailures lenient = new AuthFailures(new AuthThrottle(0, 0, Duration.ofMinutes(10), Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(4)), 10);
        assertThat(lenient.failed(c, "a", T0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(lenient.failed(c, "a", T0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(lenient.failed(c, "a", T0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(lenient.failed(c, "a", T0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(lenient.clientLocked(c, T0)).as("a limit of 0 never locks").isFalse();
    }

    @Test
    void successForgetsEarlierFailures() throws Exception {
        ClientKey c = client("192.0.2.1");
        failures.failed(c, "alice", T0);
        failures.failed(c, "alice", T0);
        failures.succeeded(c, "alice");
        failures.failed(c, "alice", T0);
        assertThat(failures.clientLocked(c, T0)).isFalse();
        assertThat(failures.failed(c, "alice", T0)).as("the second failure since the success").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void stateForManyClientsStaysWithinCapacity() throws Exception {
        AuthFailures small = new AuthFailures(THROTTLE, 100);
        for (int i = 0; i < 10_000; i++) {
            small.failed(ClientKey.of(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), 64),
                    "user" + i, T0);
        }
        assertThat(small.tracked()).isEqualTo(200);
    }
}
