package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.kernel.Journal;
import io.runnel.kernel.LoopbackPorts;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkFault;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP client -> runnel -> sinks, over real sockets, with MX records served by an in-process DNS server. Each sink
 * listens on its own loopback address with one shared port, which the daemon uses as its MX port.
 */
class DeliveryEndToEndTest {

    @TempDir
    Path home;

    private TestDnsServer dns;
    private final List<SmtpSink> sinks = new ArrayList<>();
    private SmtpSink accepting;
    private SmtpSink rejecting;
    private SmtpSink deferringOnce;
    private SmtpSink senders;
    private SmtpSink alwaysDeferring;
    private TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        int port = LoopbackPorts.free("127.0.0.2");
        accepting = sink(SinkOptions.defaults().withBindAddress(addr("127.0.0.2")).withPort(port));
        rejecting = sink(SinkOptions.defaults().withBindAddress(addr("127.0.0.3")).withPort(port)
                .withRecipientPolicy(recipient -> SinkReply.of(550, "5.1.1 No such user")));
        deferringOnce = sink(SinkOptions.defaults().withBindAddress(addr("127.0.0.4")).withPort(port)
                .withFaults("MAIL", SinkFault.reply(451, "4.7.1 Greylisted, try again")));
        senders = sink(SinkOptions.defaults().withBindAddress(addr("127.0.0.5")).withPort(port));
        alwaysDeferring = sink(SinkOptions.defaults().withBindAddress(addr("127.0.0.6")).withPort(port)
                .withRecipientPolicy(recipient -> SinkReply.of(452, "4.2.2 Mailbox full")));
        dns = TestDnsServer.start()
                .mx("good.example", 10, "mx.good.example").a("mx.good.example", "127.0.0.2")
                .mx("bad.example", 10, "mx.bad.example").a("mx.bad.example", "127.0.0.3")
                .mx("later.example", 10, "mx.later.example").a("mx.later.example", "127.0.0.4")
                .mx("sender.example", 10, "mx.sender.example").a("mx.sender.example", "127.0.0.5")
                .mx("slow.example", 10, "mx.slow.example").a("mx.slow.example", "127.0.0.6")
                .nxdomain("nowhere.example");
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [dns]
                name_servers = ["%s"]
                timeout = "2s"

                [delivery]
                smtp_port = %d

                [queues]
                retry_interval = "1s"
                max_retry_interval = "2s"

                [[queues.override]]
                domain = "slow.example"
                delay_warning = "2s"
                max_age = "5s"
                """.formatted(dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort(), port));
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        sinks.forEach(SmtpSink::close);
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void everyMessageEndsDeliveredOrBouncedAndTheSenderGetsADsn() throws Exception {
        send("alice@sender.example", "bob@good.example", "hello good");
        send("alice@sender.example", "carol@bad.example", "hello bad");
        send("alice@sender.example", "dave@later.example", "hello later");
        send("alice@sender.example", "erin@nowhere.example", "hello nowhere");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(accepting.received()).hasSize(1);
            assertThat(deferringOnce.received()).hasSize(1);
            assertThat(senders.received()).hasSize(2); // the DSNs for carol and erin
            assertThat(daemon.spooledIds()).isEmpty();
        });
        assertThat(rejecting.received()).isEmpty();

        ReceivedMessage good = accepting.received().get(0);
        assertThat(good.recipients()).containsExactly("bob@good.example");
        assertThat(new String(good.content(), StandardCharsets.UTF_8)).startsWith("Received: from client.example")
                .contains("\r\n\r\nhello good");

        List<MimeMessage> dsns = new ArrayList<>();
        for (ReceivedMessage m : senders.received()) {
            assertThat(m.sender()).isEmpty();
            assertThat(m.recipients()).containsExactly("alice@sender.example");
            dsns.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m.content())));
        }
        String reports = dsnStatusParts(dsns);
        assertThat(reports).contains("Final-Recipient: rfc822; carol@bad.example").contains("Status: 5.1.1")
                .contains("Diagnostic-Code: smtp; 550").contains("Remote-MTA: dns; mx.bad.example");
        assertThat(reports).contains("Final-Recipient: rfc822; erin@nowhere.example").contains("Status: 5.1.2");

        List<JsonNode> records = records();
        assertThat(records).extracting(r -> r.get("type").asText() + " " + r.get("recipient").asText())
                .contains("Reception bob@good.example", "Delivery bob@good.example", "Bounce carol@bad.example", "TransientFailure dave@later.example",
                        "Delivery dave@later.example", "Bounce erin@nowhere.example", "Delivery alice@sender.example");
        JsonNode delivery = records.stream().filter(r -> r.get("type").asText().equals("Delivery")
                && r.get("recipient").asText().equals("bob@good.example")).findFirst().orElseThrow();
        assertThat(delivery.get("site").asText()).isEqualTo("mx.good.example");
        assertThat(delivery.get("queue").asText()).isEqualTo("good.example");
        assertThat(delivery.get("response").get("code").asInt()).isEqualTo(250);
        assertThat(delivery.get("peer_address").get("addr").asText()).isEqualTo("127.0.0.2");
        assertThat(delivery.get("egress_source").asText()).isEqualTo("default");
    }

    @Test
    void aMessageDeferredPastDelayWarningAndMaxAgeGetsADelayNoticeThenExpires() throws Exception {
        send("alice@sender.example", "frank@slow.example", "hello slow");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(senders.received()).hasSize(2); // one delay notice, then the failure
            assertThat(daemon.spooledIds()).isEmpty();
        });
        List<MimeMessage> dsns = new ArrayList<>();
        for (ReceivedMessage m : senders.received()) {
            dsns.add(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(m.content())));
        }
        String first = dsnStatusParts(List.of(dsns.get(0)));
        assertThat(first).contains("Action: delayed").contains("Status: 4.2.2").contains("Will-Retry-Until:");
        String last = dsnStatusParts(List.of(dsns.get(1)));
        assertThat(last).contains("Action: failed").contains("Status: 4.4.7").contains("Final-Recipient: rfc822; frank@slow.example");
        assertThat(alwaysDeferring.received()).isEmpty();
        assertThat(records()).extracting(r -> r.get("type").asText() + " " + r.get("recipient").asText())
                .contains("TransientFailure frank@slow.example", "Expiration frank@slow.example");
    }

    @Test
    void aSuspendedSiteHoldsItsMailUntilResumed() throws Exception {
        DeliveryEngine engine = daemon.get(DeliveryEngine.class);
        engine.suspendSite("default", "mx.good.example", "provider asked us to pause");
        send("alice@sender.example", "bob@good.example", "held");
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(daemon.spooledIds()).hasSize(1);
            assertThat(accepting.received()).isEmpty();
        });
        engine.resumeSite("default", "mx.good.example");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(accepting.received()).hasSize(1);
            assertThat(daemon.spooledIds()).isEmpty();
        });
    }

    private String dsnStatusParts(List<MimeMessage> dsns) throws Exception {
        StringBuilder all = new StringBuilder();
        for (MimeMessage dsn : dsns) {
            assertThat(dsn.getContentType()).startsWith("multipart/report");
            Multipart parts = (Multipart) dsn.getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                if (parts.getBodyPart(i).isMimeType("message/delivery-status")) {
                    all.append(new String(parts.getBodyPart(i).getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                }
            }
        }
        return all.toString();
    }

    private List<JsonNode> records() throws IOException {
        return Journal.records(home);
    }

    private void send(String from, String to, String text) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(daemon.port()));
        props.put("mail.smtp.localhost", "client.example");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("test");
        message.setText(text);
        Transport.send(message);
    }

    private SmtpSink sink(SinkOptions options) throws IOException {
        SmtpSink sink = SmtpSink.start(options.keepingMessages(true));
        sinks.add(sink);
        return sink;
    }

    private static InetAddress addr(String ip) throws IOException {
        return InetAddress.getByName(ip);
    }
}
