package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.PASSWORD;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.USER;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.afterReceived;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.body;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.queuedId;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.receivedHeader;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.RunningDaemon;
import io.runnel.kernel.smtp.server.RawSmtpClient.Reply;
import io.runnel.kernel.spool.SpoolId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** STARTTLS (RFC 3207) with the self-signed certificate, and AUTH PLAIN/LOGIN (RFC 4954) only over TLS. */
class StartTlsAndAuthTest {

    @RegisterExtension
    static final RunningDaemon daemon = RunningDaemon.with(SmtpTestSupport.SERVER + """
            [[listener]]
            bind = "127.0.0.1:0"
            hostname = "mx.test.example"
            """ + SmtpTestSupport.authUser());

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Greeting, EHLO, STARTTLS, handshake, EHLO again; returns the second EHLO reply. */
    static Reply tlsSession(RawSmtpClient c) throws Exception {
        c.greetAndEhlo();
        assertThat(c.command("STARTTLS").toString()).startsWith("220 2.0.0");
        c.startTls();
        return c.command("EHLO client.example");
    }

    @Test
    void selfSignedCertificateIsMadeInTheDataFolderAtFirstStart() throws Exception {
        Path tls = daemon.home().resolve("data").resolve("tls");
        assertThat(tls.resolve("selfsigned-mx.test.example.crt")).isRegularFile();
        assertThat(tls.resolve("selfsigned-mx.test.example.key")).isRegularFile();
        assertThat(Files.readString(tls.resolve("selfsigned-mx.test.example.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void afterStartTlsEhloOffersAuthAndNoLongerStartTls() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            Reply ehlo = tlsSession(c);
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(c.command("STARTTLS").toString()).startsWith("503 5.5.1");
        }
    }

    @Test
    void startTlsForgetsTheEarlierEhlo() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.command("STARTTLS");
            c.startTls();
            assertThat(c.command("MAIL FROM:<a@b.example>").toString()).startsWith("503 5.5.1");
        }
    }

    @Test
    void inputPipelinedAfterStartTlsIsDiscardedNotExecuted() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.send("STARTTLS\r\nMAIL FROM:<a@b.example>\r\n");
            assertThat(c.read().toString()).startsWith("220 2.0.0");
            c.startTls();
            Reply ehlo = c.command("EHLO client.example");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines().get(0)).startsWith("mx.test.example");
            assertThat(c.command("RCPT TO:<x@local.example>").toString()).as("MAIL never ran").startsWith("503 5.5.1");
            assertThat(c.command("NOOP").toString()).as("no extra reply came").isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void startTlsInsideATransactionIsRefused() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.command("MAIL FROM:<a@b.example>");
            assertThat(c.command("STARTTLS").toString()).startsWith("503 5.5.1");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void authIsNeitherOfferedNorAcceptedBeforeTls() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            assertThat(c.greetAndEhlo().lines()).noneMatch(line -> line.startsWith("AUTH"));
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).toString()).startsWith("538 5.7.11");
            assertThat(c.command("AUTH LOGIN").toString()).startsWith("538 5.7.11");
        }
    }

    @Test
    void wrongPasswordGets535() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            tlsSession(c);
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0wrong")).toString()).startsWith("535 5.7.8");
            assertThat(c.command("AUTH PLAIN " + b64("\0nobody\0" + PASSWORD)).toString()).startsWith("535 5.7.8");
            assertThat(c.command("AUTH LOGIN").code()).isEqualTo(334);
            assertThat(c.command(b64(USER)).code()).isEqualTo(334);
            assertThat(c.command(b64("wrong")).toString()).startsWith("535 5.7.8");
        }
    }

    @Test
    void authPlainWithInitialResponseSucceeds() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            tlsSession(c);
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).toString()).startsWith("235 2.7.0");
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).toString()).startsWith("503 5.5.1");
        }
    }

    @Test
    void authPlainWithContinuationSucceeds() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            tlsSession(c);
            Reply challenge = c.command("AUTH PLAIN");
            assertThat(challenge.code()).isEqualTo(334);
            assertThat(c.command(b64("\0" + USER + "\0" + PASSWORD)).toString()).startsWith("235 2.7.0");
        }
    }

    @Test
    void authLoginSucceeds() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            tlsSession(c);
            assertThat(c.command("AUTH LOGIN").toString()).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(c.command(b64(USER)).toString()).isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(c.command(b64(PASSWORD)).toString()).startsWith("235 2.7.0");
        }
    }

    @Test
    void cancelledAuthGets501AndTheSessionGoesOn() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            tlsSession(c);
            assertThat(c.command("AUTH LOGIN").code()).isEqualTo(334);
            assertThat(c.command("*").toString()).startsWith("501");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void messageOverTlsHasAReceivedHeaderWithTlsDetailsAndProtocolEsmtps() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            tlsSession(c);
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<x@local.example>");
            c.command("DATA");
            SpoolId id = queuedId(c.command("Subject: tls\r\n\r\nsecret\r\n."));
            byte[] stored = body(daemon, id);
            assertThat(receivedHeader(stored)).contains("with ESMTPS id " + id).containsPattern("\\(TLSv1\\.[23] TLS_[A-Z0-9_]+\\)");
            assertThat(afterReceived(stored)).isEqualTo("Subject: tls\r\n\r\nsecret\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(daemon.spool().loadMeta(id).orElseThrow().reception().tls()).isPresent();
        }
    }

    @Test
    void authenticatedMessageIsReceivedWithProtocolEsmtpsa() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            tlsSession(c);
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PASSWORD)).code()).isEqualTo(235);
            c.command("MAIL FROM:<alice@local.example>");
            c.command("RCPT TO:<x@elsewhere.example>");
            c.command("DATA");
            SpoolId id = queuedId(c.command("Subject: auth\r\n\r\nhi\r\n."));
            assertThat(receivedHeader(body(daemon, id))).contains("with ESMTPSA id " + id);
            assertThat(daemon.spool().loadMeta(id).orElseThrow().reception().authIdentity()).contains(USER);
        }
    }
}
