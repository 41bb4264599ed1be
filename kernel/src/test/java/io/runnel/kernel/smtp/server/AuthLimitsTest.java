package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.ClientLimitsTest.client;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.PASSWORD;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.MutableClock;
import io.runnel.kernel.TestDaemon;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed AUTH throttling: lock-out per client and per user name, growing delays, and no harm to other clients. */
class AuthLimitsTest {

    @TempDir
    Path home;

    private static final String NO_DELAY = "auth_failure_delay = \"0s\"\nauth_failure_max_delay = \"0s\"\n";

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private TestDaemon start(String keys) throws Exception {
        return TestDaemon.start(home, SmtpTestSupport.SERVER + SmtpTestSupport.authUser() + """
                [[listener]]
                bind = "127.0.0.1:0"
                client_limit_exceptions = []
                """ + keys, clock);
    }

    /** An encrypted, EHLO'd session from {@code source}. */
    private static RawSmtpClient tlsSession(int port, InetAddress source) throws Exception {
        RawSmtpClient c = new RawSmtpClient(port, source);
        c.greetAndEhlo();
        assertThat(c.command("STARTTLS").code()).isEqualTo(220);
        c.startTls();
        c.command("EHLO client.example");
        return c;
    }

    @Test
    void aClientLockedOutAfterRepeatedFailuresGets454UntilTheLockoutEnds() throws Exception {
        try (TestDaemon daemon = start(NO_DELAY + "auth_failure_limit = 3\nauth_lockout = \"10m\"\n");
             RawSmtpClient attacker = tlsSession(daemon.port(), client(1))) {
            for (int i = 0; i < 3; i++) {
                assertThat(attacker.command("AUTH PLAIN " + plain(USER, "guess" + i)).toString()).startsWith("535 5.7.8");
            }
            assertThat(attacker.command("AUTH PLAIN " + plain(USER, PASSWORD)).toString())
                    .as("even the right password is not checked while locked out").startsWith("454 4.7.0");
            try (RawSmtpClient other = tlsSession(daemon.port(), client(2))) {
                assertThat(other.command("AUTH PLAIN " + plain(USER, PASSWORD)).toString())
                        .as("another client logs in").startsWith("235 2.7.0");
            }
            clock.advance(Duration.ofMinutes(10));
            try (RawSmtpClient later = tlsSession(daemon.port(), client(1))) {
                assertThat(later.command("AUTH PLAIN " + plain(USER, PASSWORD)).toString()).startsWith("235 2.7.0");
            }
        }
    }

    @Test
    void aUserNameIsLockedOutAfterFailuresFromManyClients() throws Exception {
        try (TestDaemon daemon = start(NO_DELAY + "auth_failure_limit = 100\nauth_user_failure_limit = 3\n")) {
            for (int i = 0; i < 3; i++) {
                try (RawSmtpClient c = tlsSession(daemon.port(), client(10 + i))) {
                    assertThat(c.command("AUTH PLAIN " + plain(USER, "guess")).toString()).startsWith("535 5.7.8");
                }
            }
            try (RawSmtpClient c = tlsSession(daemon.port(), client(20))) {
                assertThat(c.command("AUTH PLAIN " + plain(USER, PASSWORD)).toString()).startsWith("454 4.7.0");
                assertThat(c.command("AUTH PLAIN " + plain("nobody", "x")).toString())
                        .as("other names are still checked").startsWith("535 5.7.8");
            }
        }
    }

    @Test
    void aFailedAttemptIsAnsweredOnlyAfterTheFailureDelay() throws Exception {
        try (TestDaemon daemon = start("auth_failure_delay = \"300ms\"\nauth_failure_max_delay = \"1s\"\n");
             RawSmtpClient c = tlsSession(daemon.port(), client(1))) {
            long start = System.nanoTime();
            assertThat(c.command("AUTH PLAIN " + plain(USER, "wrong")).toString()).startsWith("535 5.7.8");
            assertThat(c.command("AUTH PLAIN " + plain(USER, "wrong")).toString()).startsWith("535 5.7.8");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("300 ms, then 600 ms").isGreaterThanOrEqualTo(Duration.ofMillis(900));
            long success = System.nanoTime();
            assertThat(c.command("AUTH PLAIN " + plain(USER, PASSWORD)).toString()).startsWith("235 2.7.0");
            assertThat(Duration.ofNanos(System.nanoTime() - success)).as("a success is not delayed").isLessThan(Duration.ofMillis(900));
        }
    }
}
