package io.runnel.kernel.shaping.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.kernel.Closing;
import io.runnel.kernel.LoopbackPorts;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.delivery.DeliveryEngine;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.kernel.queue.AdminRule;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueSelector;
import io.runnel.kernel.queue.Suspensions;
import io.runnel.kernel.spool.SpoolId;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider answering {@code 421 4.7.0 [TS04]} at a real sink: the automation rule suspends the source-to-site
 * path, further mail to the site waits in its scheduled queue without an attempt, and once the rule's duration has
 * passed (on the daemon's injected clock) the hold is gone and everything is delivered.
 */
class AutomationEndToEndTest {

    private static final String SITE = "mx.yahoo.example";
    private static final SinkReply TS04 = SinkReply.of(421, "4.7.0 [TS04] Messages from 127.0.0.1 temporarily deferred"
            + " due to unexpected volume or user complaints");

    @TempDir
    Path home;

    private final MutableClock clock = MutableClock.at("2026-11-28T10:00:00Z");
    private final AtomicReference<SinkReply> answer = new AtomicReference<>(TS04);
    private final AtomicInteger rcpts = new AtomicInteger();
    private TestDnsServer dns;
    private SmtpSink sink;
    private TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        int port = LoopbackPorts.free("127.0.0.2");
        sink = SmtpSink.start(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.2")).withPort(port)
                .withRecipientPolicy(recipient -> {
                    rcpts.incrementAndGet();
                    return answer.get();
                }).keepingMessages(true));
        dns = TestDnsServer.start().mx("yahoo.example", 10, SITE).a(SITE, "127.0.0.2")
                .mx("ymail.example", 10, SITE);
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/shaping.toml"), """
                [provider."yahoo"]
                match = [{MXSuffix=".yahoo.example"}]

                [[provider."yahoo".automation]]
                regex = "\\\\[TS?S04\\\\]"
                action = "Suspend"
                duration = "2 hours"
                """);
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [dns]
                name_servers = ["%s"]
                timeout = "2s"

                [delivery]
                smtp_port = %d
                connection_limit = 1
                """.formatted(dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort(), port),
                clock, List.of());
    }

    @AfterEach
    void stop() throws Exception {
        Closing.all(daemon, sink, dns);
    }

    @Test
    void aTs04ReplySuspendsThePathAndTheSuspensionLiftsAfterItsDuration() throws Exception {
        Suspensions suspensions = daemon.get(Suspensions.class);
        QueueManager queues = daemon.get(QueueManager.class);

        send("first@yahoo.example");
        await().atMost(Duration.ofSeconds(10)).until(() -> !suspensions.active(AdminRule.Kind.SUSPEND).isEmpty());
        AdminRule hold = suspensions.active(AdminRule.Kind.SUSPEND).get(0);
        assertThat(hold.selector()).isEqualTo(new QueueSelector("", "", "", SITE, "default"));
        assertThat(hold.reason()).contains("provider.\"yahoo\".automation[0]").contains("421 4.7.0 [TS04] Messages from 127.0.0.1");
        assertThat(hold.expiresAt()).contains(clock.instant().plus(Duration.ofHours(2)));
        assertThat(rcpts.get()).isEqualTo(1);

        // more mail for the site (another domain it hosts too): held in its scheduled queue, never tried
        send("second@yahoo.example");
        send("third@ymail.example");
        List<SpoolId> ids = daemon.spooledIds();
        assertThat(ids).hasSize(3);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(queues.snapshot(QueueSelector.ANY))
                .hasSize(3).allSatisfy(q -> assertThat(q.due()).isAfter(clock.instant())));
        assertThat(rcpts.get()).as("nothing attempted while suspended").isEqualTo(1);
        assertThat(daemon.spool().loadMeta(ids.get(0)).orElseThrow().attempts()).isEqualTo(1);
        assertThat(daemon.spool().loadMeta(ids.get(1)).orElseThrow().attempts()).isZero();
        assertThat(daemon.spool().loadMeta(ids.get(2)).orElseThrow().attempts()).isZero();

        // still held just before the end
        clock.advance(Duration.ofHours(2).minusMinutes(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(queues.snapshot(QueueSelector.ANY))
                .hasSize(3).allSatisfy(q -> assertThat(q.due()).isAfter(clock.instant())));
        assertThat(rcpts.get()).isEqualTo(1);

        answer.set(RecipientPolicy.ACCEPTED);
        clock.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sink.received()).hasSize(3);
            assertThat(daemon.spooledIds()).isEmpty();
        });
        assertThat(suspensions.active(AdminRule.Kind.SUSPEND)).isEmpty();
        List<JsonNode> deliveries = records().stream().filter(r -> r.get("type").asText().equals("Delivery")).toList();
        assertThat(deliveries).extracting(r -> r.get("recipient").asText() + " " + r.get("num_attempts").asInt())
                .containsExactlyInAnyOrder("first@yahoo.example 2", "second@yahoo.example 1", "third@ymail.example 1");
        assertThat(records()).filteredOn(r -> r.get("type").asText().equals("TransientFailure")).singleElement()
                .satisfies(r -> assertThat(r.get("response").get("content").asText()).contains("[TS04]"));
    }

    @Test
    void mailAlreadyWaitingInTheReadyQueueIsHeldWhenTheSuspensionStarts() throws Exception {
        DeliveryEngine engine = daemon.get(DeliveryEngine.class);
        QueueManager queues = daemon.get(QueueManager.class);
        engine.suspendSite("default", SITE, "filling the ready queue");
        for (int i = 0; i < 10; i++) {
            send("rcpt" + i + "@yahoo.example");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.readySnapshot().size() == 10);

        engine.resumeSite("default", SITE);

        // one connection: the first reply suspends the path, the rest go back to their scheduled queue untried
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(engine.readySnapshot()).isEmpty();
            assertThat(queues.snapshot(QueueSelector.ANY)).hasSize(10).allSatisfy(q -> assertThat(q.due()).isAfter(clock.instant()));
        });
        int tried = rcpts.get();
        assertThat(tried).as("attempts before the hold took the ready queue").isBetween(1, 2);
        long untried = 0;
        for (SpoolId id : daemon.spooledIds()) {
            untried += daemon.spool().loadMeta(id).orElseThrow().attempts() == 0 ? 1 : 0;
        }
        assertThat(untried).isEqualTo(10 - tried);

        answer.set(RecipientPolicy.ACCEPTED);
        clock.advance(Duration.ofHours(2).plusMinutes(1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(sink.received()).hasSize(10);
            assertThat(daemon.spooledIds()).isEmpty();
        });
    }

    private List<JsonNode> records() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.resolve("log"))) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    records.add(json.readTree(line));
                }
            }
        }
        return records;
    }

    private void send(String to) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(daemon.port()));
        props.put("mail.smtp.localhost", "client.example");
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("alice@sender.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("automation");
        message.setText("hello");
        Transport.send(message);
    }
}
