package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.body;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.queuedId;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.receivedHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.RunningDaemon;
import io.runnel.kernel.smtp.server.RawSmtpClient.Reply;
import io.runnel.kernel.spool.SpoolId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each [[listener]] has its own bind, hostname, banner and TLS mode. */
class SeveralListenersTest {

    @RegisterExtension
    static final RunningDaemon daemon = RunningDaemon.with(SmtpTestSupport.SERVER + """
            [[listener]]
            name = "inbound"
            bind = "127.0.0.1:0"
            hostname = "mx1.test.example"
            banner = "Inbound ready"
            [[listener]]
            name = "submission"
            bind = "127.0.0.1:0"
            hostname = "smtp.test.example"
            banner = "Submission ready"
            tls = "off"
            [[listener]]
            name = "smtps"
            bind = "127.0.0.1:0"
            hostname = "smtps.test.example"
            banner = "Implicit TLS ready"
            tls = "implicit"
            """);

    @Test
    void eachListenerBindsItsOwnPort() {
        assertThat(daemon.port(0)).isNotEqualTo(daemon.port(1)).isNotEqualTo(daemon.port(2));
        assertThat(daemon.port(1)).isNotEqualTo(daemon.port(2));
    }

    @Test
    void eachListenerGreetsWithItsOwnHostnameAndBanner() throws Exception {
        try (RawSmtpClient one = new RawSmtpClient(daemon.port(0)); RawSmtpClient two = new RawSmtpClient(daemon.port(1))) {
            assertThat(one.read().toString()).isEqualTo("220 mx1.test.example Inbound ready");
            assertThat(two.read().toString()).isEqualTo("220 smtp.test.example Submission ready");
            assertThat(one.command("EHLO c.example").lines().get(0)).startsWith("mx1.test.example");
            assertThat(two.command("EHLO c.example").lines().get(0)).startsWith("smtp.test.example");
        }
    }

    @Test
    void receivedHeaderNamesTheListenersHostname() throws Exception {
        for (int listener = 0; listener < 2; listener++) {
            try (RawSmtpClient c = new RawSmtpClient(daemon.port(listener))) {
                c.greetAndEhlo();
                c.command("MAIL FROM:<a@b.example>");
                c.command("RCPT TO:<x@local.example>");
                c.command("DATA");
                SpoolId id = queuedId(c.command("hi\r\n."));
                String by = listener == 0 ? "mx1.test.example" : "smtp.test.example";
                assertThat(receivedHeader(body(daemon, id))).contains("\tby " + by + " (Runnel)");
                assertThat(daemon.spool().loadMeta(id).orElseThrow().reception().listener())
                        .isEqualTo(listener == 0 ? "inbound" : "submission");
            }
        }
    }

    @Test
    void listenerWithTlsOffNeitherOffersNorAcceptsStartTls() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port(1))) {
            assertThat(c.greetAndEhlo().lines()).doesNotContain("STARTTLS");
            assertThat(c.command("STARTTLS").toString()).startsWith("502 5.5.1");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void implicitTlsListenerSpeaksTlsFromTheFirstByte() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port(2))) {
            c.startTls();
            assertThat(c.read().toString()).isEqualTo("220 smtps.test.example Implicit TLS ready");
            Reply ehlo = c.command("EHLO c.example");
            assertThat(ehlo.lines()).doesNotContain("STARTTLS");
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<x@local.example>");
            c.command("DATA");
            SpoolId id = queuedId(c.command("hi\r\n."));
            assertThat(receivedHeader(body(daemon, id))).contains("with ESMTPS");
        }
    }
}
