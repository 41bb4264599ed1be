package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.PASSWORD;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.TestDaemon;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relaying is for clients in relay_hosts and for authenticated sessions; anyone else may only send to the local and
 * bounce domains. Listener 0 has {@code relay_hosts = []}, listener 1 the default (loopback).
 */
class RelayControlTest {

    @TempDir
    static Path home;
    static TestDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = TestDaemon.start(home, SmtpTestSupport.SERVER + """
                [[listener]]
                name = "public"
                bind = "127.0.0.1:0"
                relay_hosts = []
                [[listener]]
                name = "trusted"
                bind = "127.0.0.1:0"
                """ + SmtpTestSupport.authUser());
    }

    @AfterAll
    static void stop() {
        daemon.close();
    }

    private static RawSmtpClient mailFrom(int port) throws Exception {
        RawSmtpClient c = new RawSmtpClient(port);
        c.greetAndEhlo();
        assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
        return c;
    }

    @Test
    void clientOutsideRelayHostsCannotRelay() throws Exception {
        try (RawSmtpClient c = mailFrom(daemon.port(0))) {
            assertThat(c.command("RCPT TO:<x@elsewhere.example>").toString()).startsWith("550 5.7.1");
            assertThat(c.command("RCPT TO:<x@sub.local.example>").toString()).startsWith("550 5.7.1");
        }
    }

    @Test
    void clientOutsideRelayHostsMaySendToLocalAndBounceDomains() throws Exception {
        try (RawSmtpClient c = mailFrom(daemon.port(0))) {
            assertThat(c.command("RCPT TO:<x@local.example>").toString()).startsWith("250 2.1.5");
            assertThat(c.command("RCPT TO:<x@LOCAL.Example>").toString()).startsWith("250 2.1.5");
            assertThat(c.command("RCPT TO:<b@bounces.example>").toString()).startsWith("250 2.1.5");
            c.command("DATA");
            assertThat(c.command("hi\r\n.").code()).isEqualTo(250);
        }
    }

    @Test
    void authenticatedClientMayRelay() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port(0))) {
            StartTlsAndAuthTest.tlsSession(c);
            c.command("MAIL FROM:<a@b.example>");
            assertThat(c.command("RCPT TO:<x@elsewhere.example>").toString()).as("not yet authenticated").startsWith("550 5.7.1");
            c.command("RSET");
            assertThat(c.command("AUTH PLAIN " + StartTlsAndAuthTest.b64("\0" + USER + "\0" + PASSWORD)).code()).isEqualTo(235);
            c.command("MAIL FROM:<a@b.example>");
            assertThat(c.command("RCPT TO:<x@elsewhere.example>").toString()).startsWith("250 2.1.5");
        }
    }

    @Test
    void tlsAloneDoesNotAllowRelaying() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port(0))) {
            StartTlsAndAuthTest.tlsSession(c);
            c.command("MAIL FROM:<a@b.example>");
            assertThat(c.command("RCPT TO:<x@elsewhere.example>").toString()).startsWith("550 5.7.1");
        }
    }

    @Test
    void clientInRelayHostsMayRelay() throws Exception {
        try (RawSmtpClient c = mailFrom(daemon.port(1))) {
            assertThat(c.command("RCPT TO:<x@elsewhere.example>").toString()).startsWith("250 2.1.5");
        }
    }
}
