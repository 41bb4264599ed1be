package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.afterReceived;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.body;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.queuedId;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.receivedHeader;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.spoolCount;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.RunningDaemon;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient.DsnNotify;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.smtp.server.RawSmtpClient.Reply;
import io.runnel.kernel.spool.SpoolId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command set and ESMTP extensions over a real socket, one transaction at a time or pipelined. */
class SmtpCommandsTest {

    @RegisterExtension
    static final RunningDaemon daemon = RunningDaemon.with(SmtpTestSupport.SERVER + """
            [[listener]]
            name = "mx"
            bind = "127.0.0.1:0"
            hostname = "mx.test.example"
            banner = "ESMTP Test Banner"
            max_message_size = "10KiB"
            """);

    @Test
    void greetsWithTheListenersHostnameAndBanner() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            Reply greeting = c.read();
            assertThat(greeting.code()).isEqualTo(220);
            assertThat(greeting.text()).isEqualTo("mx.test.example ESMTP Test Banner");
        }
    }

    @Test
    void ehloAdvertisesEveryExtensionWithTheSizeLimit() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            Reply ehlo = c.greetAndEhlo();
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.lines().get(0)).startsWith("mx.test.example");
            assertThat(ehlo.lines().subList(1, ehlo.lines().size())).contains("PIPELINING", "SIZE 10240", "8BITMIME",
                    "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "STARTTLS", "DSN");
            assertThat(ehlo.lines()).noneMatch(line -> line.startsWith("AUTH"));
        }
    }

    @Test
    void heloGivesAOneLineReplyAndRefusesEsmtpParameters() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.read();
            Reply helo = c.command("HELO client.example");
            assertThat(helo.code()).isEqualTo(250);
            assertThat(helo.lines()).hasSize(1);
            assertThat(c.command("MAIL FROM:<a@b.example> BODY=8BITMIME").toString()).startsWith("555 5.5.4");
            assertThat(c.command("MAIL FROM:<a@b.example>").toString()).startsWith("250 2.1.0");
        }
    }

    @Test
    void messageOverHeloIsReceivedWithProtocolSmtp() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.read();
            c.command("HELO client.example");
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<x@local.example>");
            assertThat(c.command("DATA").code()).isEqualTo(354);
            SpoolId id = queuedId(c.command("Subject: helo\r\n\r\nhi\r\n."));
            assertThat(receivedHeader(body(daemon, id))).contains("with SMTP id " + id);
        }
    }

    @Test
    void answersNoopVrfyAndHelp() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("NOOP").toString()).startsWith("250 2.0.0");
            assertThat(c.command("VRFY someone").toString()).startsWith("252 2.5.0");
            Reply help = c.command("HELP");
            assertThat(help.code()).isEqualTo(214);
            assertThat(help.text()).contains("EHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "QUIT", "VRFY", "HELP");
        }
    }

    @Test
    void mailNeedsAHelloFirst() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.read();
            assertThat(c.command("MAIL FROM:<a@b.example>").toString()).startsWith("503 5.5.1");
        }
    }

    @Test
    void rsetForgetsTheTransaction() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.command("MAIL FROM:<a@b.example>");
            assertThat(c.command("RSET").toString()).startsWith("250 2.0.0");
            assertThat(c.command("RCPT TO:<x@local.example>").toString()).startsWith("503 5.5.1");
            assertThat(c.command("MAIL FROM:<c@d.example>").toString()).startsWith("250 2.1.0");
        }
    }

    @Test
    void quitSays221AndCloses() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("QUIT").toString()).startsWith("221 2.0.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void unknownCommandGets500AndTheSessionGoesOn() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("FROB").toString()).startsWith("500 5.5.2");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void dataWithoutRecipientsIsRefused() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("DATA").toString()).startsWith("503 5.5.1");
            c.command("MAIL FROM:<a@b.example>");
            assertThat(c.command("DATA").toString()).startsWith("554 5.5.1");
        }
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedAtMail() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("MAIL FROM:<a@b.example> SIZE=10241").toString()).startsWith("552 5.3.4");
            assertThat(c.command("MAIL FROM:<a@b.example> SIZE=10240").toString()).startsWith("250 2.1.0");
        }
    }

    @Test
    void dsnParametersAreStoredWithTheMessage() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("MAIL FROM:<a@b.example> RET=HDRS ENVID=env+2Bid-1 BODY=8BITMIME").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<x@local.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+40orig.example").code())
                    .isEqualTo(250);
            assertThat(c.command("RCPT TO:<y@local.example> NOTIFY=NEVER").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<z@local.example>").code()).isEqualTo(250);
            c.command("DATA");
            SpoolId id = queuedId(c.command("Subject: dsn\r\n\r\nbody\r\n."));
            MessageMeta meta = daemon.spool().loadMeta(id).orElseThrow();
            assertThat(meta.parameters()).isEqualTo(new MailParameters(MailParameters.BodyType.EIGHT_BIT_MIME, false,
                    Optional.of(MailParameters.DsnReturn.HDRS), Optional.of("env+id-1")));
            List<Recipient> rcpts = meta.recipients();
            assertThat(rcpts).extracting(r -> r.address().toString())
                    .containsExactly("x@local.example", "y@local.example", "z@local.example");
            assertThat(rcpts.get(0).notifyOn()).isEqualTo(Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE));
            assertThat(rcpts.get(0).originalRecipient()).contains("rfc822;x@orig.example");
            assertThat(rcpts.get(1).notifyOn()).isEqualTo(Set.of(DsnNotify.NEVER));
            assertThat(rcpts.get(2).notifyOn()).isEmpty();
            assertThat(rcpts.get(2).originalRecipient()).isEmpty();
            assertThat(meta.sender().toString()).isEqualTo("a@b.example");
        }
    }

    @Test
    void badDsnParametersAreRefused() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("MAIL FROM:<a@b.example> RET=SOME").toString()).startsWith("501 5.5.4");
            c.command("MAIL FROM:<a@b.example>");
            assertThat(c.command("RCPT TO:<x@local.example> NOTIFY=NEVER,SUCCESS").toString()).startsWith("501 5.5.4");
        }
    }

    @Test
    void aParameterWithARawCarriageReturnGetsASyntaxReplyNotAnException() throws Exception {
        // found by SmtpCommandFuzzTest: the unknown key was echoed into the reply, whose constructor refuses CR
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("MAIL FROM:<a@b.example> X\rY").toString()).startsWith("501 5.5.4");
            assertThat(c.command("MAIL FROM:<a@b.example> XFOO").toString()).startsWith("555 5.5.4 Unsupported MAIL parameter XFOO");
            assertThat(c.command("MAIL FROM:<a@b.example>").toString()).startsWith("250");
            assertThat(c.command("RCPT TO:<x@local.example> NO\rTIFY=NEVER").toString()).startsWith("501 5.5.4");
            assertThat(c.command("NOOP").toString()).startsWith("250");
        }
    }

    @Test
    void smtpUtf8AddressesNeedTheSmtpUtf8Parameter() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            assertThat(c.command("MAIL FROM:<jörg@b.example>").toString()).startsWith("553 5.6.7");
            assertThat(c.command("MAIL FROM:<jörg@b.example> SMTPUTF8").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<zoë@local.example>").code()).isEqualTo(250);
            c.command("DATA");
            byte[] content = "Subject: \u00fcml\u00e4ut\r\n\r\nGr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.UTF_8);
            c.sendBytes(content);
            SpoolId id = queuedId(c.command("."));
            MessageMeta meta = daemon.spool().loadMeta(id).orElseThrow();
            assertThat(meta.parameters().smtpUtf8()).isTrue();
            assertThat(meta.sender().toString()).isEqualTo("jörg@b.example");
            assertThat(meta.recipients().get(0).address().toString()).isEqualTo("zoë@local.example");
            assertThat(afterReceived(body(daemon, id))).isEqualTo(content);
        }
    }

    @Test
    void prependsAReceivedHeaderAndKeepsTheMessageByteExact() throws Exception {
        byte[] content = ("From: a@b.example\r\nTo: x@local.example\r\nSubject: exact\r\n\r\n"
                + "line one\r\n\ttabbed line \r\n\r\n\r\n8bit: \u00e9\r\nlast line without newline at the end?\r\n")
                .getBytes(StandardCharsets.UTF_8);
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<x@local.example>");
            c.command("DATA");
            c.sendBytes(content);
            SpoolId id = queuedId(c.command("."));
            byte[] stored = body(daemon, id);
            assertThat(afterReceived(stored)).isEqualTo(content);
            String received = receivedHeader(stored);
            assertThat(received).startsWith("Received: from client.example ([127.0.0.1])\r\n\tby mx.test.example (Runnel) with ESMTP id " + id)
                    .contains("for <x@local.example>").endsWith("\r\n");
        }
    }

    @Test
    void pipelinedEnvelopeGetsItsRepliesInOrderAndTheNextTransactionWorks() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<x@local.example>\r\nRCPT TO:<nobody>\r\nDATA\r\n");
            assertThat(c.read().toString()).startsWith("250 2.1.0");
            assertThat(c.read().toString()).startsWith("250 2.1.5");
            assertThat(c.read().toString()).startsWith("501 5.1.3");
            assertThat(c.read().code()).isEqualTo(354);
            c.send("Subject: one\r\n\r\nfirst\r\n.\r\nMAIL FROM:<c@d.example>\r\nRCPT TO:<y@local.example>\r\n"
                    + "RCPT TO:<z@local.example>\r\nDATA\r\n");
            SpoolId first = queuedId(c.read());
            assertThat(c.read().toString()).startsWith("250 2.1.0");
            assertThat(c.read().toString()).startsWith("250 2.1.5");
            assertThat(c.read().toString()).startsWith("250 2.1.5");
            assertThat(c.read().code()).isEqualTo(354);
            c.send("Subject: two\r\n\r\nsecond\r\n.\r\nNOOP\r\n");
            SpoolId second = queuedId(c.read());
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(afterReceived(body(daemon, first))).isEqualTo("Subject: one\r\n\r\nfirst\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(afterReceived(body(daemon, second))).isEqualTo("Subject: two\r\n\r\nsecond\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(daemon.spool().loadMeta(second).orElseThrow().recipients()).hasSize(2);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before + 2);
    }

    @Test
    void dotStuffingRoundTripsByteExact() throws Exception {
        String content = ".starts with a dot\r\n..two dots\r\n.\r\n...\r\nmiddle . dot\r\n. space\r\n.\r\n";
        StringBuilder stuffed = new StringBuilder();
        for (String line : content.split("\r\n", -1)) {
            if (!stuffed.isEmpty()) {
                stuffed.append("\r\n");
            }
            stuffed.append(line.startsWith(".") ? "." + line : line);
        }
        try (RawSmtpClient c = new RawSmtpClient(daemon.port())) {
            c.greetAndEhlo();
            c.command("MAIL FROM:<a@b.example>");
            c.command("RCPT TO:<x@local.example>");
            c.command("DATA");
            c.send(stuffed.toString());
            SpoolId id = queuedId(c.command("."));
            assertThat(new String(afterReceived(body(daemon, id)), StandardCharsets.US_ASCII)).isEqualTo(content);
        }
    }
}
