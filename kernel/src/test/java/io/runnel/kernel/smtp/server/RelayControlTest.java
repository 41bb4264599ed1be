package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.PASSWORD;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.USER;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.mailFrom;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relaying is for clients in relay_hosts and for authenticated sessions; anyone else may only send to the local and
 * bounce domains. Listener 0 has {@code relay_hosts = []}, listener 1 the default (loopback).
 */
class RelayControlTest {

    @RegisterExtension
    static final RunningDaemon daemon = RunningDaemon.with(SmtpTestSupport.SERVER + """
            [[listener]]
            name = "public"
            bind = "127.0.0.1:0"
            relay_hosts = []
            [[listener]]
            name = "trusted"
            bind = "127.0.0.1:0"
            """ + SmtpTestSupport.authUser());

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
