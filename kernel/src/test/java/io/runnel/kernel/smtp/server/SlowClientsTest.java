package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.spoolCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.MutableClock;
import io.runnel.kernel.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that send slowly or say nothing useful cannot hold a session without bound. */
class SlowClientsTest {

    @TempDir
    Path home;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

    private TestDaemon start(String keys) throws Exception {
        return TestDaemon.start(home, SmtpTestSupport.SERVER + """
                [[listener]]
                bind = "127.0.0.1:0"
                idle_timeout = "300s"
                min_data_rate = 100
                """ + keys, clock);
    }

    @Test
    void contentTrickledOneByteAtATimeIsCutOffAfterTheDataDeadline() throws Exception {
        try (TestDaemon daemon = start("");
             RawSmtpClient c = SmtpTestSupport.openData(daemon.port())) {
            // 300 s plus 1 s per 100 octets: 11 octets earn 110 ms, and the 12th comes after 319 s
            for (int i = 0; i < 11; i++) {
                c.send("x");
                clock.advance(Duration.ofSeconds(29)); // each byte well inside the 300 s idle timeout
            }
            c.send("x");
            assertThat(c.read().toString()).startsWith("421 4.4.2");
            assertThat(c.closedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> daemon.get(SmtpServer.class).openSessions() == 0);
            assertThat(spoolCount(daemon)).isZero();
        }
    }

    @Test
    void contentArrivingAtTheMinimumRateIsAccepted() throws Exception {
        try (TestDaemon daemon = start("");
             RawSmtpClient c = SmtpTestSupport.openData(daemon.port())) {
            String line = "y".repeat(98) + "\r\n"; // 100 octets
            for (int i = 0; i < 20; i++) {
                c.send(line);
                clock.advance(Duration.ofSeconds(15)); // 20 x 15 s = 300 s: within 300 s + 20 s
            }
            assertThat(c.command(".").code()).isEqualTo(250);
            assertThat(spoolCount(daemon)).isEqualTo(1);
        }
    }

    @Test
    void theDeadlineAppliesToBdatChunksToo() throws Exception {
        try (TestDaemon daemon = start("");
             RawSmtpClient c = SmtpTestSupport.openTransaction(daemon.port())) {
            c.send("BDAT 10\r\n" + "z".repeat(10));
            assertThat(c.read().code()).isEqualTo(250); // the deadline runs from the first BDAT
            c.send("BDAT 1000 LAST\r\n");
            c.send("z".repeat(10));
            clock.advance(Duration.ofSeconds(301));
            c.send("z");
            assertThat(c.read().toString()).startsWith("421 4.4.2");
            assertThat(c.closedByServer()).isTrue();
            assertThat(spoolCount(daemon)).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> daemon.get(SmtpServer.class).openSessions() == 0);
        }
    }

    @Test
    void junkCommandsBeyondTheLimitGet421() throws Exception {
        try (TestDaemon daemon = start("max_junk_commands = 4\n");
             RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo(); // 1
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(c.command("RSET").code()).isEqualTo(250);
            assertThat(c.command("VRFY x").code()).isEqualTo(252);
            assertThat(c.command("NOOP").toString()).startsWith("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void mailCommandsAreNotJunk() throws Exception {
        try (TestDaemon daemon = start("max_junk_commands = 2\n");
             RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            for (int i = 0; i < 5; i++) {
                assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
                assertThat(c.command("RCPT TO:<x@local.example>").code()).isEqualTo(250);
                c.command("DATA");
                assertThat(c.command("m\r\n.").code()).isEqualTo(250);
            }
        }
    }
}
