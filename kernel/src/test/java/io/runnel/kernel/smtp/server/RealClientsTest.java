package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.PASSWORD;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.USER;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.afterReceived;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.receivedHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runnel.kernel.RunningDaemon;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.spool.SpoolId;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real SMTP clients against the listener: Jakarta Mail (Angus) and swaks. */
class RealClientsTest {

    private static final Path SWAKS = Path.of("/usr/bin/swaks");

    @RegisterExtension
    static final RunningDaemon daemon = RunningDaemon.with(SmtpTestSupport.SERVER + """
            [[listener]]
            bind = "127.0.0.1:0"
            """ + SmtpTestSupport.authUser());

    /** The spool ids that appeared while {@code action} ran, in arrival order. */
    private static List<SpoolId> spooledBy(ThrowingRunnable action) throws Exception {
        Set<SpoolId> before = new HashSet<>(daemon.spooledIds());
        action.run();
        List<SpoolId> added = new ArrayList<>(daemon.spooledIds());
        added.removeAll(before);
        return added;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static String stored(SpoolId id) throws Exception {
        return new String(daemon.spool().loadBody(id).orElseThrow(), StandardCharsets.UTF_8);
    }

    private static Properties mailProperties() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(daemon.port()));
        p.put("mail.smtp.localhost", "jakarta.client.example");
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "5000");
        return p;
    }

    private static MimeMessage message(Session session, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("sender@b.example"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("x@local.example"));
        m.setSubject(subject);
        m.setText(text + "\n.leading dot line\nlast line\n");
        m.saveChanges();
        return m;
    }

    /** The message as Jakarta Mail puts it on the wire: every line ending CRLF (the SMTP transport converts). */
    private static byte[] wireBytes(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.US_ASCII).replaceAll("(?<!\r)\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void jakartaMailSendsThreeMessagesOverOneConnection() throws Exception {
        Session session = Session.getInstance(mailProperties());
        List<MimeMessage> sent = new ArrayList<>();
        List<SpoolId> ids = spooledBy(() -> {
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect();
                for (int i = 1; i <= 3; i++) {
                    MimeMessage m = message(session, "jakarta " + i, "message number " + i);
                    transport.sendMessage(m, m.getAllRecipients());
                    sent.add(m);
                }
            }
        });
        assertThat(ids).hasSize(3);
        for (int i = 0; i < 3; i++) {
            byte[] body = daemon.spool().loadBody(ids.get(i)).orElseThrow();
            assertThat(afterReceived(body)).isEqualTo(wireBytes(sent.get(i)));
            assertThat(receivedHeader(body)).contains("from jakarta.client.example", "with ESMTP id");
        }
    }

    @Test
    void jakartaMailSendsWithStartTlsAndAuth() throws Exception {
        Properties p = mailProperties();
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.trust", "*");
        p.put("mail.smtp.ssl.checkserveridentity", "false"); // the self-signed certificate names mx.test.example
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        MimeMessage m = message(session, "jakarta tls", "over TLS");
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("someone@elsewhere.example"));
        m.saveChanges();
        List<SpoolId> ids = spooledBy(() -> {
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(USER, PASSWORD);
                transport.sendMessage(m, m.getAllRecipients());
            }
        });
        assertThat(ids).hasSize(1);
        assertThat(receivedHeader(daemon.spool().loadBody(ids.get(0)).orElseThrow())).contains("with ESMTPSA");
        MessageMeta meta = daemon.spool().loadMeta(ids.get(0)).orElseThrow();
        assertThat(meta.reception().authIdentity()).contains(USER);
        assertThat(meta.recipients().get(0).address().toString()).isEqualTo("someone@elsewhere.example");
    }

    /** swaks is required in CI; elsewhere its tests are skipped when it is missing. */
    private static void requireSwaks() {
        boolean present = Files.isExecutable(SWAKS);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("swaks is required in CI but " + SWAKS + " is missing");
        }
        assumeTrue(present, "swaks not installed");
    }

    private record Run(int exitCode, String output) {
    }

    private static Run swaks(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SWAKS.toString(), "--server", "127.0.0.1", "--port",
                String.valueOf(daemon.port()), "--helo", "swaks.client.example", "--from", "s@b.example",
                "--timeout", "10"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("swaks finished").isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void swaksSendsWithPipelining() throws Exception {
        requireSwaks();
        Run[] run = new Run[1];
        List<SpoolId> ids = spooledBy(() -> run[0] = swaks("--pipeline", "--to", "x@local.example,y@local.example",
                "--header", "Subject: swaks pipelined", "--body", "piped body"));
        assertThat(run[0].exitCode()).as(run[0].output()).isZero();
        assertThat(run[0].output()).contains("PIPELINING");
        assertThat(ids).hasSize(1);
        assertThat(stored(ids.get(0))).contains("Subject: swaks pipelined", "piped body", "from swaks.client.example");
        assertThat(daemon.spool().loadMeta(ids.get(0)).orElseThrow().recipients()).hasSize(2);
    }

    @Test
    void swaksSendsWithStartTlsAndAuthPlain() throws Exception {
        requireSwaks();
        Run[] run = new Run[1];
        List<SpoolId> ids = spooledBy(() -> run[0] = swaks("--tls", "--auth", "PLAIN", "--auth-user", USER,
                "--auth-password", PASSWORD, "--to", "far@elsewhere.example", "--header", "Subject: swaks tls",
                "--body", "tls body"));
        assertThat(run[0].exitCode()).as(run[0].output()).isZero();
        assertThat(run[0].output()).contains("235 2.7.0");
        assertThat(ids).hasSize(1);
        assertThat(stored(ids.get(0))).contains("with ESMTPSA", "Subject: swaks tls", "tls body");
    }

    @Test
    void swaksIsRefusedWithAWrongPassword() throws Exception {
        requireSwaks();
        Run[] run = new Run[1];
        List<SpoolId> ids = spooledBy(() -> run[0] = swaks("--tls", "--auth", "PLAIN", "--auth-user", USER,
                "--auth-password", "wrong", "--to", "far@elsewhere.example"));
        assertThat(run[0].exitCode()).as(run[0].output()).isNotZero();
        assertThat(run[0].output()).contains("535 5.7.8");
        assertThat(ids).isEmpty();
    }
}
