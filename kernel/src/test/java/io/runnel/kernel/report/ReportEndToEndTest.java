package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.kernel.Closing;
import io.runnel.kernel.Journal;
import io.runnel.kernel.LoopbackPorts;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounces and feedback reports sent over real SMTP to a running kernel's bounce domain: each becomes OOB or Feedback
 * records in the journal before the 250, and nothing is spooled or relayed. The VERP round trip sends a message
 * through to a sink, then bounces it back to the address the sink saw.
 */
class ReportEndToEndTest {

    private static final String BOUNCE_DOMAIN = "bounces.runnel.test";

    @TempDir
    Path home;

    private TestDnsServer dns;
    private SmtpSink sink;
    private TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        int port = LoopbackPorts.free("127.0.0.2");
        sink = SmtpSink.start(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.2")).withPort(port).keepingMessages(true));
        dns = TestDnsServer.start().mx("good.example", 10, "mx.good.example").a("mx.good.example", "127.0.0.2");
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"
                bounce_domains = ["%s"]
                feedback_addresses = ["fbl@feedback.runnel.test"]

                [log]
                headers = ["Subject", "X-Campaign"]

                [verp]
                enabled = true

                [dns]
                name_servers = ["%s"]
                timeout = "2s"

                [delivery]
                smtp_port = %d
                """.formatted(BOUNCE_DOMAIN, dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort(), port));
    }

    @AfterEach
    void stop() throws Exception {
        Closing.all(daemon, sink, dns);
    }

    @Test
    void aDsnToTheBounceDomainIsLoggedAsOobAndNotRelayed() throws Exception {
        send("mailer-daemon@mx.remote.example", "bounce@" + BOUNCE_DOMAIN, dsn("carol@remote.example", "5.1.1",
                "smtp; 550 5.1.1 The email account that you tried to reach does not exist.", "<m1@sender.example>"));

        // the 250 came only after the records were written: they are in the journal already
        JsonNode oob = only(records(), "OOB");
        assertThat(oob.get("recipient").asText()).isEqualTo("carol@remote.example");
        assertThat(oob.get("bounce_classification").asText()).isEqualTo("InvalidRecipient");
        assertThat(oob.get("response").get("code").asInt()).isEqualTo(550);
        assertThat(oob.get("response").get("enhanced_code").get("subject").asInt()).isEqualTo(1);
        assertThat(oob.get("meta").get("tenant").asText()).isEqualTo("acme");
        assertThat(oob.get("meta").get("campaign").asText()).isEqualTo("spring");
        assertThat(oob.get("meta").get("original_message_id").asText()).isEqualTo("<m1@sender.example>");
        assertThat(oob.get("headers").get("Subject").asText()).isEqualTo("Spring sale");
        assertThat(oob.get("peer_address").get("addr").asText()).isEqualTo("127.0.0.1");
        assertThat(daemon.spooledIds()).isEmpty();
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void anArfReportToAFeedbackAddressIsLoggedAsFeedback() throws Exception {
        send("fbl@provider.example", "fbl@feedback.runnel.test", arf());

        JsonNode feedback = only(records(), "Feedback");
        assertThat(feedback.get("recipient").asText()).isEqualTo("dave@provider.example");
        JsonNode report = feedback.get("feedback_report");
        assertThat(report.get("feedback_type").asText()).isEqualTo("abuse");
        assertThat(report.get("user_agent").asText()).isEqualTo("SomeGenerator/1.0");
        assertThat(report.get("source_ip").asText()).isEqualTo("192.0.2.1");
        assertThat(report.get("original_mail_from").asText()).isEqualTo("<alice@sender.example>");
        assertThat(report.get("reporting_mta").get("name").asText()).isEqualTo("mail.provider.example");
        assertThat(report.get("original_rcpt_to").get(0).asText()).isEqualTo("<dave@provider.example>");
        assertThat(feedback.get("meta").get("tenant").asText()).isEqualTo("acme");
        assertThat(feedback.get("meta").get("campaign").asText()).isEqualTo("spring");
        assertThat(daemon.spooledIds()).isEmpty();
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void mailToTheBounceDomainThatIsNoReportIsLoggedAndAccepted() throws Exception {
        send("someone@elsewhere.example", "bounce@" + BOUNCE_DOMAIN,
                "From: someone@elsewhere.example\r\nSubject: hello\r\n\r\nJust saying hi.\r\n");

        JsonNode oob = only(records(), "OOB");
        assertThat(oob.get("meta").get("report_status").asText()).isEqualTo("unparsed");
        assertThat(oob.get("bounce_classification").asText()).isEqualTo("Uncategorized");
        assertThat(daemon.spooledIds()).isEmpty();
    }

    @Test
    void verpRoundTripNamesTheMessageAndRecipient() throws Exception {
        send("alice@sender.example", "bob@good.example",
                "From: alice@sender.example\r\nTo: bob@good.example\r\nSubject: Spring sale\r\nX-Campaign: spring\r\n\r\nhi\r\n");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(sink.received()).as(records().toString()).hasSize(1));
        ReceivedMessage delivered = sink.received().get(0);
        JsonNode reception = only(records(), "Reception");
        String id = reception.get("id").asText();
        assertThat(reception.get("headers").get("Subject").asText()).isEqualTo("Spring sale");
        assertThat(delivered.sender()).isEqualTo("b+" + id + "=bob=good.example@" + BOUNCE_DOMAIN);

        // a bounce whose text names no recipient and returns no headers: only the VERP address ties it back
        send("mailer-daemon@mx.good.example", delivered.sender(), """
                From: Mail Delivery System <mailer-daemon@mx.good.example>\r
                Subject: Undelivered Mail\r
                \r
                Your message could not be delivered.\r
                Remote host said: 550 5.2.2 Mailbox full\r
                \r
                --- Below this line is a copy of the message.\r
                \r
                Subject: Spring sale\r
                \r
                hi\r
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> records().stream().anyMatch(r -> r.get("type").asText().equals("OOB")));
        JsonNode oob = only(records(), "OOB");
        assertThat(oob.get("id").asText()).isEqualTo(id);
        assertThat(oob.get("recipient").asText()).isEqualTo("bob@good.example");
        assertThat(oob.get("bounce_classification").asText()).isEqualTo("QuotaIssues");
        assertThat(sink.received()).hasSize(1);
    }

    private static String dsn(String recipient, String status, String diagnostic, String messageId) {
        return """
                From: Mail Delivery System <mailer-daemon@mx.remote.example>\r
                To: bounce@%s\r
                Subject: Delivery Status Notification (Failure)\r
                MIME-Version: 1.0\r
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r
                \r
                --b1\r
                Content-Type: text/plain\r
                \r
                Your message could not be delivered.\r
                --b1\r
                Content-Type: message/delivery-status\r
                \r
                Reporting-MTA: dns; mx.remote.example\r
                \r
                Final-Recipient: rfc822; %s\r
                Action: failed\r
                Status: %s\r
                Diagnostic-Code: %s\r
                \r
                --b1\r
                Content-Type: text/rfc822-headers\r
                \r
                Message-ID: %s\r
                From: alice@sender.example\r
                Subject: Spring sale\r
                X-Tenant: acme\r
                X-Campaign: spring\r
                \r
                --b1--\r
                """.formatted(BOUNCE_DOMAIN, recipient, status, diagnostic, messageId);
    }

    private static String arf() {
        return """
                From: fbl@provider.example\r
                To: fbl@feedback.runnel.test\r
                Subject: FW: Spring sale\r
                MIME-Version: 1.0\r
                Content-Type: multipart/report; report-type=feedback-report; boundary="part"\r
                \r
                --part\r
                Content-Type: text/plain\r
                \r
                This is an email abuse report.\r
                --part\r
                Content-Type: message/feedback-report\r
                \r
                Feedback-Type: abuse\r
                User-Agent: SomeGenerator/1.0\r
                Version: 1\r
                Original-Mail-From: <alice@sender.example>\r
                Original-Rcpt-To: <dave@provider.example>\r
                Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\r
                Reporting-MTA: dns; mail.provider.example\r
                Source-IP: 192.0.2.1\r
                \r
                --part\r
                Content-Type: message/rfc822\r
                \r
                From: alice@sender.example\r
                To: dave@provider.example\r
                Subject: Spring sale\r
                X-Tenant: acme\r
                X-Campaign: spring\r
                Message-ID: <m2@sender.example>\r
                \r
                Buy now.\r
                --part--\r
                """;
    }

    private static JsonNode only(List<JsonNode> records, String type) {
        List<JsonNode> matching = records.stream().filter(r -> r.get("type").asText().equals(type)).toList();
        assertThat(matching).as(type + " records").hasSize(1);
        return matching.get(0);
    }

    private List<JsonNode> records() throws IOException {
        return Journal.records(home);
    }

    /** Sends {@code raw} as is (no header rewriting) with the given envelope; throws unless the server says 250. */
    private void send(String from, String to, String raw) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(daemon.port()));
        props.put("mail.smtp.localhost", "client.example");
        props.put("mail.smtp.from", from);
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(message, new Address[] {new InternetAddress(to)});
        }
    }
}
