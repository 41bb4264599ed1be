package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.kernel.Closing;
import io.runnel.kernel.Journal;
import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.kernel.dns.TestDnsServer.Fault;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS that is down or answers garbage, end to end: SMTP in, the kernel's resolver against a real (misbehaving) name
 * server on loopback, delivery to a real sink. A DNS fault defers the mail (TransientFailure, 451 4.4.3), never
 * bounces it, and once DNS answers again the held mail is delivered, exactly once. Only a name that is known not to
 * exist bounces: the recipient domain (550 5.1.2), or every mail host of it (550 5.4.4, as Postfix).
 */
class DnsFaultsEndToEndTest {

    @TempDir
    Path home;

    private SmtpSink sink;
    private TestDnsServer dns;
    private TestDaemon daemon;

    @AfterEach
    void stop() throws Exception {
        Closing.all(daemon, sink, dns);
    }

    @Test
    void brokenAnswersDeferTheMailAndItIsDeliveredOnceDnsAnswersAgain() throws Exception {
        sink = SmtpSink.start(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.1")).keepingMessages(true));
        dns = TestDnsServer.start();
        // every fault hits the MX query of its domain, or the address query of the domain's mail host
        Map<String, Runnable> faults = Map.of(
                "servfail.example", () -> dns.servfail("servfail.example"),
                "silent.example", () -> dns.noAnswer("silent.example"),
                "garbage.example", () -> dns.fault("garbage.example", Fault.GARBAGE),
                "cut.example", () -> dns.fault("cut.example", Fault.CUT_SHORT),
                "truncated.example", () -> dns.fault("truncated.example", Fault.TRUNCATED),
                "wrongid.example", () -> dns.fault("wrongid.example", Fault.WRONG_ID),
                "mismatch.example", () -> dns.fault("mismatch.example", Fault.WRONG_QUESTION),
                "hostfail.example", () -> dns.servfail("mx.hostfail.example"),
                "hostsilent.example", () -> dns.noAnswer("mx.hostsilent.example"));
        for (String domain : faults.keySet()) {
            healthy(domain);
            faults.get(domain).run();
        }
        // the better MX does not exist, the other one's lookup fails: a soft error wins, so the mail waits
        dns.mx("halfgone.example", 10, "gone.halfgone.example").mx("halfgone.example", 20, "mx.halfgone.example")
                .a("mx.halfgone.example", "127.0.0.1").nxdomain("gone.halfgone.example").servfail("mx.halfgone.example");
        dns.nxdomain("nxdomain.example");
        dns.mx("nohost.example", 10, "mx.nohost.example").nxdomain("mx.nohost.example");
        dns.mx("noaddress.example", 10, "mx.noaddress.example").txt("mx.noaddress.example", "no address here");
        daemon = start(dns.address());

        List<String> deferred = faults.keySet().stream().sorted().collect(Collectors.toList());
        deferred.add("halfgone.example");
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            for (String domain : deferred) {
                send(client, domain);
            }
            for (String domain : List.of("nxdomain.example", "nohost.example", "noaddress.example")) {
                send(client, domain);
            }
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, List<JsonNode>> failures = byRecipientDomain("TransientFailure");
            for (String domain : deferred) {
                assertThat(failures.getOrDefault(domain, List.of())).as(domain).hasSizeGreaterThanOrEqualTo(2); // and retried
            }
            assertThat(byRecipientDomain("Bounce")).containsOnlyKeys("nxdomain.example", "nohost.example", "noaddress.example");
        });
        byRecipientDomain("TransientFailure").forEach((domain, records) -> records.forEach(r -> {
            assertThat(r.get("response").get("code").asInt()).as(domain).isEqualTo(451);
            assertThat(status(r)).as(domain).isEqualTo("4.4.3");
        }));
        Map<String, List<JsonNode>> bounces = byRecipientDomain("Bounce");
        assertThat(status(bounces.get("nxdomain.example").get(0))).isEqualTo("5.1.2");
        assertThat(status(bounces.get("nohost.example").get(0))).isEqualTo("5.4.4");
        assertThat(status(bounces.get("noaddress.example").get(0))).isEqualTo("5.4.4");
        assertThat(sink.messageCount()).isZero();

        deferred.forEach(dns::heal);
        dns.heal("mx.hostfail.example").heal("mx.hostsilent.example").heal("mx.halfgone.example");

        // the failures were not cached: the held mail goes within a retry or two
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveredTo()).containsOnlyKeys(deferred));
        assertThat(deliveredTo()).allSatisfy((domain, copies) -> assertThat(copies).as(domain).isEqualTo(1));
        assertThat(byRecipientDomain("Bounce").values()).allSatisfy(records -> assertThat(records).hasSize(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(daemon.spooledIds()).isEmpty());
    }

    @Test
    void aNameServerThatIsNotListeningDefersTheMailUntilItComesBack() throws Exception {
        sink = SmtpSink.start(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.1")).keepingMessages(true));
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        daemon = start(new InetSocketAddress("127.0.0.1", port));
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            send(client, "later.example");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(byRecipientDomain("TransientFailure").getOrDefault("later.example", List.of())).hasSizeGreaterThanOrEqualTo(2));
        assertThat(sink.messageCount()).isZero();

        dns = TestDnsServer.start(port);
        healthy("later.example");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deliveredTo()).containsEntry("later.example", 1L));
        assertThat(byRecipientDomain("Bounce")).isEmpty();
    }

    private void healthy(String domain) {
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, "127.0.0.1");
    }

    private TestDaemon start(InetSocketAddress nameServer) throws Exception {
        return TestDaemon.start(home, """
                [dns]
                name_servers = ["127.0.0.1:%d"]
                timeout = "500ms"

                [delivery]
                smtp_port = %d
                enable_tls = "disabled"

                [queues]
                retry_interval = "1s"
                max_retry_interval = "1s"
                """.formatted(nameServer.getPort(), sink.port()));
    }

    /** One message to postmaster@{@code domain}, its Message-ID naming the domain. */
    private static void send(SmtpTestClient client, String domain) throws Exception {
        String reply = client.send("alice@sender.example", "postmaster@" + domain, """
                From: alice@sender.example\r
                To: postmaster@%s\r
                Message-ID: <%s@sender.example>\r
                Subject: dns faults\r
                \r
                hello\r
                """.formatted(domain, domain));
        assertThat(reply).startsWith("250");
    }

    /** How many copies of each domain's message the sink got, by the domain in its Message-ID. */
    private Map<String, Long> deliveredTo() {
        return sink.received().stream().filter(m -> !m.recipients().contains("alice@sender.example"))
                .map(m -> messageId(m.content()))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static String messageId(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        int start = text.indexOf("Message-ID: <") + "Message-ID: <".length();
        return text.substring(start, text.indexOf("@sender.example>", start));
    }

    private Map<String, List<JsonNode>> byRecipientDomain(String type) throws Exception {
        return Journal.records(home, type).stream()
                .filter(r -> !r.get("recipient").asText().equals("alice@sender.example"))
                .collect(Collectors.groupingBy(r -> r.get("recipient").asText().substring("postmaster@".length())));
    }

    private static String status(JsonNode record) {
        JsonNode e = record.get("response").get("enhanced_code");
        return e.get("class").asInt() + "." + e.get("subject").asInt() + "." + e.get("detail").asInt();
    }
}
