package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.spoolCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.RunningDaemon;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.smtp.server.RawSmtpClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every listener limit gives its RFC reply, and keeps the session open where the RFC allows it. */
class SmtpLimitsTest {

    @RegisterExtension
    static final RunningDaemon daemon = RunningDaemon.with(SmtpTestSupport.SERVER + """
            [[listener]]
            bind = "127.0.0.1:0"
            max_message_size = "10KiB"
            max_recipients = 3
            max_errors = 5
            idle_timeout = "1s"
            """);

    @Test
    void overlongCommandLineGets500AndTheSessionGoesOn() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("NOOP " + "x".repeat(600)).toString()).startsWith("500 5.5.6");
            assertThat(c.command("NOOP").toString()).startsWith("250 2.0.0");
            assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
        }
    }

    @Test
    void commandLineOfExactly512OctetsIsAccepted() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("NOOP " + "x".repeat(512 - 7)).code()).isEqualTo(250);
            assertThat(c.command("NOOP " + "x".repeat(512 - 6)).toString()).startsWith("500 5.5.6");
        }
    }

    @Test
    void messageOverTheSizeLimitGets552AndIsNotSpooledButTheSessionGoesOn() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<x@local.example>");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            c.send(("y".repeat(78) + "\r\n").repeat(140)); // 11200 octets > 10 KiB
            assertThat(c.command(".").toString()).startsWith("552 5.3.4");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<x@local.example>").toString()).as("the transaction is over").startsWith("503");
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<x@local.example>");
            c.command("DATA");
            assertThat(c.command("small\r\n.").code()).isEqualTo(250);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before + 1);
    }

    @Test
    void recipientsOverTheLimitGet452AndTheOthersAreKept() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.command("MAIL FROM:<a@b.example>");
            for (int i = 1; i <= 3; i++) {
                assertThat(c.command("RCPT TO:<r" + i + "@local.example>").code()).isEqualTo(250);
            }
            assertThat(c.command("RCPT TO:<r4@local.example>").toString()).startsWith("452 4.5.3");
            c.command("DATA");
            Reply queued = c.command("hi\r\n.");
            assertThat(daemon.spool().loadMeta(SmtpTestSupport.queuedId(queued)).orElseThrow().recipients()).hasSize(3);
        }
    }

    @Test
    void tooManyErrorsGet421AndClose() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            for (int i = 1; i < 5; i++) {
                assertThat(c.command("FROB").code()).isEqualTo(500);
            }
            assertThat(c.command("FROB").code()).isEqualTo(500);
            assertThat(c.read().toString()).startsWith("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void idleSessionGets421AndIsClosed() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            long start = System.nanoTime();
            Reply reply = c.read(); // blocks until the server speaks: the idle timeout
            assertThat(reply.toString()).startsWith("421 4.4.2");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void clientTalkingBeforeTheGreetingIsRefusedAndDisconnected(@TempDir Path dir) throws Exception {
        try (TestDaemon slow = TestDaemon.start(dir, SmtpTestSupport.SERVER + """
                [[listener]]
                bind = "127.0.0.1:0"
                greeting_delay = "300ms"
                """)) {
            try (RawSmtpClient c = new RawSmtpClient(slow.port())) {
                c.send("EHLO eager.example\r\n");
                assertThat(c.read().toString()).startsWith("554 5.5.1");
                assertThat(c.closedByServer()).isTrue();
            }
            try (RawSmtpClient c = new RawSmtpClient(slow.port())) {
                assertThat(c.greetAndEhlo().code()).as("a patient client is served").isEqualTo(250);
            }
        }
    }

    @Test
    void connectionsOverTheLimitGet421BeforeAnyGreeting(@TempDir Path dir) throws Exception {
        try (TestDaemon small = TestDaemon.start(dir, SmtpTestSupport.SERVER + """
                [[listener]]
                bind = "127.0.0.1:0"
                max_connections = 2
                """)) {
            RawSmtpClient first = new RawSmtpClient(small.port());
            try (RawSmtpClient second = new RawSmtpClient(small.port())) {
                assertThat(first.read().code()).isEqualTo(220);
                assertThat(second.read().code()).isEqualTo(220);
                try (RawSmtpClient third = new RawSmtpClient(small.port())) {
                    assertThat(third.read().toString()).startsWith("421 4.3.2");
                    assertThat(third.closedByServer()).isTrue();
                }
                assertThat(first.command("QUIT").code()).isEqualTo(221);
                first.close();
                AtomicReference<Reply> greeting = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    try (RawSmtpClient next = new RawSmtpClient(small.port())) {
                        greeting.set(next.read());
                        return greeting.get().code() == 220;
                    }
                });
                assertThat(second.command("NOOP").code()).as("the sessions within the limit go on").isEqualTo(250);
            }
        }
    }

    @Test
    void fullSpoolGets452AndTheSessionGoesOn(@TempDir Path dir) throws Exception {
        try (TestDaemon tiny = TestDaemon.start(dir, SmtpTestSupport.SERVER + """
                [[listener]]
                bind = "127.0.0.1:0"
                [spool]
                sync = "none"
                map_size = "1MiB"
                """)) {
            String chunk = ("z".repeat(1022) + "\r\n").repeat(200); // ~200 KiB
            try (RawSmtpClient c = new RawSmtpClient(tiny.port())) {
                c.greetAndEhlo();
                Reply last = null;
                int stored = 0;
                for (int i = 0; i < 20; i++) {
                    c.command("MAIL FROM:<a@b.example>");
                    c.command("RCPT TO:<x@local.example>");
                    c.command("DATA");
                    c.send(chunk);
                    last = c.command(".");
                    if (last.code() != 250) {
                        break;
                    }
                    stored++;
                }
                assertThat(last.toString()).startsWith("452 4.3.1");
                assertThat(stored).isGreaterThan(0);
                assertThat(c.command("NOOP").code()).isEqualTo(250);
                assertThat(c.command("QUIT").code()).isEqualTo(221);
                assertThat(spoolCount(tiny)).isEqualTo(stored);
            }
        }
    }
}
