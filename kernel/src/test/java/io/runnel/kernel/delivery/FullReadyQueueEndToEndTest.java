package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.kernel.Closing;
import io.runnel.kernel.Journal;
import io.runnel.kernel.LoopbackPorts;
import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst bigger than {@code max_ready}: what the full ready queue turns away is called back as soon as the queue is
 * half empty, so the burst flows at the site's pace instead of each message waiting out its 1-10 s.
 */
class FullReadyQueueEndToEndTest {

    private static final String DOMAIN = "burst.example";
    private static final String SITE = "mx.burst.example"; // the MX host name: sites roll up by MX
    private static final int MAX_READY = 5;
    private static final int MESSAGES = 60;

    @TempDir
    Path home;

    private TestDnsServer dns;
    private SmtpSink sink;
    private TestDaemon daemon;

    @AfterEach
    void stop() throws Exception {
        Closing.all(daemon, sink, dns);
    }

    @Test
    void messagesTurnedAwayByAFullReadyQueueAreCalledBackOnceThereIsRoom() throws Exception {
        int port = LoopbackPorts.free("127.0.0.2");
        sink = SmtpSink.start(SinkOptions.defaults().withBindAddress(InetAddress.getByName("127.0.0.2")).withPort(port)
                .keepingMessages(true));
        dns = TestDnsServer.start().mx(DOMAIN, 10, SITE).a("mx.burst.example", "127.0.0.2");
        daemon = TestDaemon.start(home, """
                [dns]
                name_servers = ["%s"]

                [delivery]
                smtp_port = %d
                max_ready = %d
                connection_limit = 2
                """.formatted(dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort(), port, MAX_READY));
        DeliveryEngine engine = daemon.get(DeliveryEngine.class);
        engine.suspendSite("default", SITE, "filling the ready queue");
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(client.send("rcpt" + i + "@" + DOMAIN, "Subject: burst\r\n\r\nhello\r\n")).startsWith("250");
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Journal.records(home, "Delayed").size() == MESSAGES - MAX_READY);
        assertThat(engine.readySnapshot()).hasSize(MAX_READY);

        long resumed = System.nanoTime();
        engine.resumeSite("default", SITE);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> sink.messageCount() == MESSAGES);
        double seconds = (System.nanoTime() - resumed) / 1e9;
        System.out.printf("burst of %d with max_ready %d delivered in %.2f s%n", MESSAGES, MAX_READY, seconds);

        // turned away for 1-10 s each, the last of 55 would come back after about 9.8 s on average
        assertThat(seconds).as("seconds for the whole burst").isLessThan(3.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.spooledIds().isEmpty());
        List<JsonNode> deliveries = Journal.records(home, "Delivery");
        assertThat(deliveries).extracting(r -> r.get("recipient").asText()).hasSize(MESSAGES).doesNotHaveDuplicates();
        assertThat(Journal.records(home, "Delayed")).as("one Delayed record per message turned away, the first time")
                .extracting(r -> r.get("recipient").asText()).doesNotHaveDuplicates();
    }
}
