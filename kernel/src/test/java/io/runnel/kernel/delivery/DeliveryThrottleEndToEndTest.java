package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.kernel.Closing;
import io.runnel.kernel.LoopbackPorts;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkOptions;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max_message_rate} held at a real sink: messages wait in their ready queue for the throttle, are delivered
 * once each, and no attempt is counted for the wait.
 */
class DeliveryThrottleEndToEndTest {

    private static final int MESSAGES = 60;
    private static final int BURST = 20; // "20/s": max_burst defaults to the limit

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
        dns = TestDnsServer.start().mx("rated.example", 10, "mx.rated.example").a("mx.rated.example", "127.0.0.2");
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [dns]
                name_servers = ["%s"]
                timeout = "2s"

                [delivery]
                smtp_port = %d
                max_message_rate = "20/s"
                max_connection_rate = "local:1,000/s"
                """.formatted(dns.address().getAddress().getHostAddress() + ":" + dns.address().getPort(), port));
    }

    @AfterEach
    void stop() throws Exception {
        Closing.all(daemon, sink, dns);
    }

    @Test
    void theMessageRateHoldsAtTheSinkAndEveryMessageIsDeliveredOnceAtTheFirstAttempt() throws Exception {
        // held in the ready queue while they arrive, so the injection speed does not shape the measurement
        DeliveryEngine engine = daemon.get(DeliveryEngine.class);
        engine.suspendSite("default", "mx.rated.example", "filling the ready queue");
        for (int i = 0; i < MESSAGES; i++) {
            send("rcpt" + i + "@rated.example");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.readySnapshot().size() == MESSAGES);
        engine.resumeSite("default", "mx.rated.example");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(sink.received()).hasSize(MESSAGES);
            assertThat(daemon.spooledIds()).isEmpty();
        });
        // the burst goes at once, the rest at the rate: from the first arrival, (MESSAGES - BURST) intervals. Timed
        // from the first arrival rather than the burst's last, which slow connection set-up under load can delay
        List<Long> times = arrivals.stream().sorted().toList();
        double seconds = (times.get(MESSAGES - 1) - times.get(0)) / 1e9;
        double rate = (MESSAGES - BURST) / seconds;
        assertThat(rate).as("messages per second after the burst").isBetween(18.0, 22.0);

        List<JsonNode> deliveries = records().stream().filter(r -> r.get("type").asText().equals("Delivery")).toList();
        assertThat(deliveries).extracting(r -> r.get("recipient").asText()).hasSize(MESSAGES).doesNotHaveDuplicates();
        assertThat(deliveries).allSatisfy(r -> assertThat(r.get("num_attempts").asInt()).isEqualTo(1));
        assertThat(records()).noneMatch(r -> r.get("type").asText().equals("TransientFailure"));
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
        message.setSubject("rated");
        message.setText("hello");
        Transport.send(message);
    }
}
