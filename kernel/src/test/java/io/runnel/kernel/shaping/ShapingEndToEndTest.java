package io.runnel.kernel.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.kernel.Closing;
import io.runnel.kernel.Journal;
import io.runnel.kernel.LoopbackPorts;
import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.ReloadReport;
import io.runnel.kernel.delivery.DeliveryEngine;
import io.runnel.kernel.delivery.ReadyQueueSnapshot;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkCommand;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/shaping.toml applied to real deliveries: a domain block's rate and connection limit hold at a loopback sink,
 * and a changed file applies to the queue that already exists, without losing or repeating a message.
 */
class ShapingEndToEndTest {

    private static final String SITE = "rated.example"; // mx_rollup = false: the domain is its own site

    @TempDir
    Path home;

    private TestDnsServer dns;
    private SmtpSink sink;
    private TestDaemon daemon;
    /** When the sink saw each RCPT, in nanoseconds of System.nanoTime. */
    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws Exception {
        int port = LoopbackPorts.free("127.0.0.2");
        sink = SmtpSink.start(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.2")).withPort(port)
                .withRecipientPolicy(recipient -> {
                    arrivals.add(System.nanoTime());
                    return RecipientPolicy.ACCEPTED;
                }).keepingMessages(true));
        dns = TestDnsServer.start().mx(SITE, 10, "mx.rated.example").a("mx.rated.example", "127.0.0.2");
        Files.createDirectories(home.resolve("conf"));
        writeShaping("20/s,max_burst=5", 2, "enable_chunking = false");
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [dns]
                name_servers = ["%s"]
                timeout = "2s"

                [delivery]
                smtp_port = %d
                """.formatted(dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort(), port));
    }

    private void writeShaping(String rate, int connections, String more) throws Exception {
        Path file = home.resolve("conf").resolve("shaping.toml");
        Path next = home.resolve("conf").resolve("shaping.toml.next");
        Files.writeString(next, """
                ["default"]
                connection_limit = 16
                max_deliveries_per_connection = 1000

                ["%s"]
                mx_rollup = false
                max_message_rate = "%s"
                connection_limit = %d
                %s
                """.formatted(SITE, rate, connections, more));
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @AfterEach
    void stop() throws Exception {
        Closing.all(daemon, sink, dns);
    }

    @Test
    void theDomainBlocksRateAndConnectionLimitHoldAtTheSink() throws Exception {
        int messages = 60;
        DeliveryEngine engine = fill(messages);
        AtomicInteger mostConnections = new AtomicInteger();
        engine.resumeSite("default", SITE);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            engine.readyQueues().stream().mapToInt(ReadyQueueSnapshot::connections).max()
                    .ifPresent(n -> mostConnections.accumulateAndGet(n, Math::max));
            assertThat(sink.received()).hasSize(messages);
        });

        // measured after the burst of 5; a small burst keeps connection set-up out of the figure
        List<Long> times = arrivals.stream().sorted().toList();
        double rate = (messages - 1 - 5) / ((times.get(messages - 1) - times.get(5)) / 1e9);
        assertThat(rate).as("messages per second after the burst").isBetween(18.0, 22.0);
        assertThat(mostConnections.get()).as("connections to the site at once").isBetween(1, 2);
        assertThat(engine.readyQueues()).extracting(ReadyQueueSnapshot::site).containsExactly(SITE);
        assertThat(sink.commands()).extracting(SinkCommand::verb).as("enable_chunking = false").contains("DATA").doesNotContain("BDAT");
        assertDeliveredOnceEach(messages);
    }

    @Test
    void aChangedShapingFileAppliesToTheQueueThatExists() throws Exception {
        int messages = 60;
        writeShaping("4/s,max_burst=1", 1, "");
        assertThat(daemon.get(ConfigReloader.class).reload().applied()).isTrue();
        DeliveryEngine engine = fill(messages);
        engine.resumeSite("default", SITE);
        await().atMost(Duration.ofSeconds(20)).until(() -> arrivals.size() >= 8);

        writeShaping("100/s,max_burst=1", 1, "");
        ReloadReport report = daemon.get(ConfigReloader.class).reload();
        assertThat(report.applied()).isTrue();
        assertThat(report.changed()).contains("conf/shaping.toml");
        long reloadedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.received().size() == messages);

        List<Long> after = arrivals.stream().filter(t -> t > reloadedAt).sorted().toList();
        double seconds = (after.get(after.size() - 1) - reloadedAt) / 1e9;
        // at the old 4/s what was left would take over 10 s
        assertThat(after.size() / seconds).as("messages per second after the change").isGreaterThan(12.0);
        assertThat(sink.commands()).extracting(SinkCommand::verb).as("CHUNKING used by default").contains("BDAT").doesNotContain("DATA");
        assertDeliveredOnceEach(messages);
    }

    /** Injects {@code messages} while the site is suspended, so they wait together in its ready queue. */
    private DeliveryEngine fill(int messages) throws Exception {
        DeliveryEngine engine = daemon.get(DeliveryEngine.class);
        engine.suspendSite("default", SITE, "filling the ready queue");
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            for (int i = 0; i < messages; i++) {
                assertThat(client.send("rcpt" + i + "@" + SITE, "Subject: shaped\r\n\r\nhello\r\n")).startsWith("250");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.readySnapshot().size() == messages);
        return engine;
    }

    private void assertDeliveredOnceEach(int messages) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.spooledIds().isEmpty());
        List<JsonNode> deliveries = Journal.records(home, "Delivery");
        assertThat(deliveries).extracting(r -> r.get("recipient").asText()).hasSize(messages).doesNotHaveDuplicates();
        assertThat(deliveries).allSatisfy(r -> assertThat(r.get("num_attempts").asInt()).isEqualTo(1));
        assertThat(Journal.records(home, "TransientFailure")).isEmpty();
    }
}
