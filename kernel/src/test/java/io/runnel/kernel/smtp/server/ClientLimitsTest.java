package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.spoolCount;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.MutableClock;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.smtp.server.RawSmtpClient.Reply;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-client limits (Postfix anvil) over real sockets: each client is a different 127.x.y.z source address, time is
 * a MutableClock, and loopback is not exempt (client_limit_exceptions = []).
 */
class ClientLimitsTest {

    @TempDir
    Path home;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

    private TestDaemon start(String listenerKeys) throws Exception {
        return TestDaemon.start(home, SmtpTestSupport.SERVER + """
                [[listener]]
                bind = "127.0.0.1:0"
                client_limit_exceptions = []
                """ + listenerKeys, clock);
    }

    /** The n-th client: 127.1.1.1, 127.1.2.1, ... (not 127.0.0.1, the tests' default source). */
    static InetAddress client(int n) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, (byte) (n / 250 + 1), (byte) (n % 250 + 1), 1});
    }

    @Test
    void sessionsFromOneClientBeyondTheCountLimitGet421WhileOtherClientsAreServed() throws Exception {
        try (TestDaemon daemon = start("client_connection_count_limit = 2\nclient_connection_rate_limit = \"off\"\n");
             RawSmtpClient first = new RawSmtpClient(daemon.port(), client(1));
             RawSmtpClient second = new RawSmtpClient(daemon.port(), client(1))) {
            assertThat(first.read().code()).isEqualTo(220);
            assertThat(second.read().code()).isEqualTo(220);
            try (RawSmtpClient third = new RawSmtpClient(daemon.port(), client(1))) {
                assertThat(third.read().toString()).startsWith("421 4.7.0").contains("Too many connections from " + client(1).getHostAddress());
                assertThat(third.closedByServer()).isTrue();
            }
            try (RawSmtpClient other = new RawSmtpClient(daemon.port(), client(2))) {
                assertThat(other.greetAndEhlo().code()).as("another client is not affected").isEqualTo(250);
            }
            first.command("QUIT");
            first.closedByServer();
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                try (RawSmtpClient again = new RawSmtpClient(daemon.port(), client(1))) {
                    assertThat(again.read().code()).as("a closed session frees its place").isEqualTo(220);
                }
            });
        }
    }

    @Test
    void sessionsFromOneClientBeyondTheRateGet421UntilTheRateAllowsAgain() throws Exception {
        try (TestDaemon daemon = start("client_connection_rate_limit = \"3/min\"\n")) {
            for (int i = 0; i < 3; i++) {
                try (RawSmtpClient c = new RawSmtpClient(daemon.port(), client(1))) {
                    assertThat(c.read().code()).isEqualTo(220);
                }
            }
            try (RawSmtpClient c = new RawSmtpClient(daemon.port(), client(1))) {
                assertThat(c.read().toString()).startsWith("421 4.7.0").contains("per unit of time");
                assertThat(c.closedByServer()).isTrue();
            }
            clock.advance(Duration.ofSeconds(20)); // one cell of 3/min
            try (RawSmtpClient c = new RawSmtpClient(daemon.port(), client(1))) {
                assertThat(c.read().code()).isEqualTo(220);
            }
        }
    }

    @Test
    void clientsInTheExceptionsAreNotLimited() throws Exception {
        try (TestDaemon daemon = TestDaemon.start(home, SmtpTestSupport.SERVER + """
                [[listener]]
                bind = "127.0.0.1:0"
                client_limit_exceptions = ["127.1.1.0/24"]
                client_connection_count_limit = 1
                client_connection_rate_limit = "1/min"
                """, clock);
             RawSmtpClient a = new RawSmtpClient(daemon.port(), client(0));
             RawSmtpClient b = new RawSmtpClient(daemon.port(), client(0));
             RawSmtpClient c = new RawSmtpClient(daemon.port(), client(0))) {
            assertThat(a.read().code()).isEqualTo(220);
            assertThat(b.read().code()).isEqualTo(220);
            assertThat(c.read().code()).isEqualTo(220);
        }
    }

    @Test
    void messagesBeyondTheClientsRateGet450AndEveryAcceptedMessageIsSpooled() throws Exception {
        try (TestDaemon daemon = start("client_message_rate_limit = \"2/min\"\n");
             RawSmtpClient c = new RawSmtpClient(daemon.port(), client(1))) {
            c.greetAndEhlo();
            for (int i = 0; i < 2; i++) {
                assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
                c.command("RCPT TO:<x@local.example>");
                c.command("DATA");
                assertThat(c.command("message " + i + "\r\n.").code()).isEqualTo(250);
            }
            assertThat(c.command("MAIL FROM:<a@b.example>").toString()).startsWith("450 4.7.1").contains(client(1).getHostAddress());
            assertThat(c.command("RCPT TO:<x@local.example>").code()).as("no transaction was opened").isEqualTo(503);
            try (RawSmtpClient other = new RawSmtpClient(daemon.port(), client(2))) {
                other.greetAndEhlo();
                assertThat(other.command("MAIL FROM:<a@b.example>").code()).as("other clients send on").isEqualTo(250);
            }
            clock.advance(Duration.ofSeconds(30));
            assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
            assertThat(spoolCount(daemon)).isEqualTo(2);
        }
    }

    @Test
    void recipientsBeyondTheClientsRateGet450AndTheAcceptedOnesAreKept() throws Exception {
        try (TestDaemon daemon = start("client_recipient_rate_limit = \"3/min\"\n");
             RawSmtpClient c = new RawSmtpClient(daemon.port(), client(1))) {
            c.greetAndEhlo();
            c.command("MAIL FROM:<a@b.example>");
            for (int i = 1; i <= 3; i++) {
                assertThat(c.command("RCPT TO:<r" + i + "@local.example>").code()).isEqualTo(250);
            }
            assertThat(c.command("RCPT TO:<r4@local.example>").toString()).startsWith("450 4.7.1");
            c.command("DATA");
            Reply queued = c.command("hello\r\n.");
            assertThat(daemon.spool().loadMeta(SmtpTestSupport.queuedId(queued)).orElseThrow().recipients()).hasSize(3);
        }
    }

    @Test
    void authenticatedClientsAreNotHeldToTheMessageRate() throws Exception {
        try (TestDaemon daemon = TestDaemon.start(home, SmtpTestSupport.SERVER + SmtpTestSupport.authUser() + """
                [[listener]]
                bind = "127.0.0.1:0"
                client_limit_exceptions = []
                client_message_rate_limit = "1/min"
                """, clock);
             RawSmtpClient c = new RawSmtpClient(daemon.port(), client(1))) {
            c.greetAndEhlo();
            c.command("STARTTLS");
            c.startTls();
            c.command("EHLO client.example");
            assertThat(c.command("AUTH PLAIN " + AuthLimitsTest.plain(SmtpTestSupport.USER, SmtpTestSupport.PASSWORD)).code())
                    .isEqualTo(235);
            for (int i = 0; i < 3; i++) {
                assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
                assertThat(c.command("RSET").code()).isEqualTo(250);
            }
        }
    }

    @Test
    void stateForManyDistinctClientsStaysWithinTheTrackingLimit() throws Exception {
        try (TestDaemon daemon = start("client_tracking_limit = 50\n")) {
            for (int i = 0; i < 300; i++) {
                try (RawSmtpClient c = new RawSmtpClient(daemon.port(), client(i))) {
                    assertThat(c.read().code()).isEqualTo(220);
                }
            }
            String listener = "listener0";
            assertThat(daemon.get(SmtpServer.class).trackedClients(listener)).isEqualTo(50);
            try (RawSmtpClient c = new RawSmtpClient(daemon.port(), client(1000))) {
                assertThat(c.greetAndEhlo().code()).isEqualTo(250);
            }
        }
    }
}
