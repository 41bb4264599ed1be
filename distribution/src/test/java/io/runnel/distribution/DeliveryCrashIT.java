package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.spool.LmdbSpool;
import io.runnel.kernel.spool.SpoolId;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkFault;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery side of the durability contract, end to end: the real launcher delivering to a sink in this JVM,
 * SIGKILL while connections are sending, a restart on the same spool. No acknowledged message may be lost; only
 * the ones in flight at the kill may arrive twice.
 */
class DeliveryCrashIT {

    private static final int SESSIONS = 6;
    private static final int MESSAGES_PER_SESSION = 80;
    private static final int CONNECTION_LIMIT = 4;
    private static final Pattern MESSAGE_ID = Pattern.compile("\r\nMessage-ID: <(\\d+)\\.(\\d+)@crash\\.test>\r\n");

    @TempDir
    Path home;

    @Test
    void killNineDuringDeliveryLosesNoMessageAndDuplicatesOnlyThoseInFlight() throws Exception {
        // The first connections stall at MAIL until the daemon's command timeout: meanwhile a backlog builds up, so
        // the kill finds delivery mid-way however fast this machine receives and delivers.
        SinkFault[] stalls = new SinkFault[CONNECTION_LIMIT];
        Arrays.fill(stalls, new SinkFault.Stall());
        SinkOptions options = SinkOptions.defaults().keepingMessages(true).withPort(0).withFaults("MAIL", stalls);
        try (SmtpSink sink = SmtpSink.start(options)) {
            int port = RunnelProcess.freePort();
            writeConfiguration(port, sink.port());
            ConcurrentMap<String, byte[]> acknowledged = new ConcurrentHashMap<>();
            try (RunnelProcess runnel = RunnelProcess.start(home, port, home.resolve("first.log"))) {
                ExecutorService senders = Executors.newFixedThreadPool(SESSIONS);
                for (int s = 0; s < SESSIONS; s++) {
                    senders.submit(new AckingSender(port, s, acknowledged, MESSAGES_PER_SESSION));
                }
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                        .until(() -> sink.messageCount() >= 150);
                runnel.kill(); // connections are sending, and the senders too
                senders.shutdown();
                assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }

            // What the dead daemon left: still spooled, and of those, what the sink already has (in flight at the kill)
            Set<String> spooledAtKill = stillSpooled(acknowledged);
            Set<String> deliveredBeforeRestart = arrivals(sink.received()).keySet();
            Set<String> inFlight = new HashSet<>(spooledAtKill);
            inFlight.retainAll(deliveredBeforeRestart);
            System.out.printf("DeliveryCrashIT: %d acknowledged, %d delivered at the kill, %d still spooled, %d of them in flight%n",
                    acknowledged.size(), deliveredBeforeRestart.size(), spooledAtKill.size(), inFlight.size());
            // of those, the ones whose Delivery record reached the journal before the kill leave the spool at the
            // restart (it reads the journal's tail); only the others are sent again
            Set<String> journaledAtKill = journaled(acknowledged, deliveryRecords());
            Set<String> sentAgain = new HashSet<>(inFlight);
            sentAgain.removeAll(journaledAtKill);
            System.out.printf("DeliveryCrashIT: %d in flight had their Delivery record in the journal at the kill%n",
                    inFlight.size() - sentAgain.size());
            Set<String> undeliveredAtKill = new HashSet<>(spooledAtKill);
            undeliveredAtKill.removeAll(deliveredBeforeRestart);
            assertThat(undeliveredAtKill).as("acknowledged messages still to deliver at the kill").isNotEmpty();

            long restart = System.nanoTime();
            try (RunnelProcess restarted = RunnelProcess.start(home, port, home.resolve("second.log"))) {
                assertThat(restarted.log()).contains("spool recovered");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> arrivals(sink.received()).keySet().containsAll(messageIds(acknowledged.values())));
                System.out.printf("DeliveryCrashIT: the rest delivered %d ms after the restart%n",
                        (System.nanoTime() - restart) / 1_000_000);
                // and whatever was spooled without its 250 reaching the sender: the spool empties
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> spoolCount().contains("0 messages, 0 bytes"));
                assertThat(restarted.stop()).isZero();
            }

            Map<String, List<ReceivedMessage>> arrived = arrivals(sink.received());
            Set<String> duplicated = new TreeSet<>();
            for (byte[] content : acknowledged.values()) {
                Matcher m = MESSAGE_ID.matcher(new String(content, StandardCharsets.ISO_8859_1));
                assertThat(m.find()).isTrue();
                String id = m.group(1) + "." + m.group(2);
                List<ReceivedMessage> copies = arrived.get(id);
                assertThat(copies).as("arrivals of acknowledged message %s", id).isNotEmpty();
                assertThat(copies).as("arrivals of %s", id).hasSizeLessThanOrEqualTo(2);
                if (copies.size() > 1) {
                    duplicated.add(id);
                }
                for (ReceivedMessage copy : copies) {
                    assertThat(copy.sender()).isEqualTo("s" + m.group(1) + "@example.com");
                    assertThat(copy.recipients()).containsExactly("r" + m.group(2) + "@example.net");
                    assertThat(new String(copy.content(), 0, 9, StandardCharsets.US_ASCII)).isEqualTo("Received:");
                    byte[] tail = Arrays.copyOfRange(copy.content(), copy.content().length - content.length, copy.content().length);
                    assertThat(tail).as("content of %s", id).isEqualTo(content);
                }
            }
            // a message spooled just before the kill may arrive although its 250 never reached the sender: one per session
            Set<String> unacknowledged = new TreeSet<>(arrived.keySet());
            unacknowledged.removeAll(messageIds(acknowledged.values()));
            assertThat(unacknowledged).as("arrived without a 250 to the sender").hasSizeLessThanOrEqualTo(SESSIONS);
            System.out.printf("DeliveryCrashIT: %d arrivals, %d messages arrived twice: %s%n",
                    sink.messageCount(), duplicated.size(), duplicated);
            // at least once: what the sink had but the spool still held is sent again, unless the journal shows it
            // delivered, and nothing else is
            assertThat(duplicated).as("messages that arrived twice").containsExactlyInAnyOrderElementsOf(sentAgain);
            // in flight: per connection, the transaction being sent and those whose removal awaited the group commit
            assertThat(inFlight).as("messages in flight at the kill").hasSizeLessThanOrEqualTo(CONNECTION_LIMIT * 4);

            assertThat(spoolCount()).as("spool at the end").contains("0 messages, 0 bytes");

            Set<String> logged = deliveryRecords();
            for (Map.Entry<String, byte[]> sent : acknowledged.entrySet()) {
                Matcher m = MESSAGE_ID.matcher(new String(sent.getValue(), StandardCharsets.ISO_8859_1));
                assertThat(m.find()).isTrue();
                assertThat(logged).as("Delivery records").contains(sent.getKey() + " r" + m.group(2) + "@example.net");
            }
        }
    }

    /** What {@code bin/runnel spool count} prints; works while the daemon runs. */
    private String spoolCount() throws Exception {
        Path output = home.resolve("count.txt");
        Files.deleteIfExists(output);
        assertThat(RunnelProcess.runToCompletion(home, output, "spool", "count")).isZero();
        return Files.readString(output);
    }

    /** Message-IDs of the acknowledged messages the spool still holds; the daemon must not be running. */
    private Set<String> stillSpooled(Map<String, byte[]> acknowledged) throws Exception {
        RunnelConfig config = new ConfigLoader(home).load(home.resolve("conf/runnel.toml"));
        LmdbSpool spool = new LmdbSpool(config.spool());
        spool.start();
        try {
            Set<String> spooled = new HashSet<>();
            for (Map.Entry<String, byte[]> sent : acknowledged.entrySet()) {
                if (spool.loadMeta(SpoolId.parse(sent.getKey())).isPresent()) {
                    spooled.add(messageId(sent.getValue()));
                }
            }
            return spooled;
        } finally {
            spool.stop(Duration.ofSeconds(5));
        }
    }

    /** Message-IDs of the acknowledged messages that a Delivery record in {@code records} names. */
    private static Set<String> journaled(Map<String, byte[]> acknowledged, Set<String> records) {
        Set<String> spoolIds = new HashSet<>();
        records.forEach(r -> spoolIds.add(r.substring(0, r.indexOf(' '))));
        Set<String> out = new HashSet<>();
        acknowledged.forEach((spoolId, content) -> {
            if (spoolIds.contains(spoolId)) {
                out.add(messageId(content));
            }
        });
        return out;
    }

    /**
     * "spool-id recipient" of every Delivery record in the daemon's log folder; after a kill a segment may end in
     * part of a line, which is no record yet.
     */
    private Set<String> deliveryRecords() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> records = new HashSet<>();
        for (String line : JournalLines.complete(home.resolve("log"))) {
            JsonNode record = json.readTree(line);
            if (record.path("type").asText().equals("Delivery")) {
                records.add(record.path("id").asText() + " " + record.path("recipient").asText());
            }
        }
        return records;
    }

    private void writeConfiguration(int port, int sinkPort) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/runnel.toml"), """
                [spool]
                sync = "full"
                map_size = "256MiB"

                # every domain goes to the sink; no resolver is ever asked, nothing leaves the machine
                [dns]
                name_servers = ["127.0.0.1:9"]
                timeout = "200ms"

                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [queues]
                retry_interval = "1s"
                max_retry_interval = "2s"

                [delivery]
                connection_limit = %d
                max_deliveries_per_connection = 25
                enable_tls = "disabled"
                command_timeout = "2s"

                # the control plane on a free port, so concurrent test daemons never clash
                [grpc]
                listen = "127.0.0.1:0"

                [[listener]]
                bind = "127.0.0.1:%d"
                tls = "off"
                """.formatted(sinkPort, CONNECTION_LIMIT, port));
    }

    private static Set<String> messageIds(Collection<byte[]> contents) {
        Set<String> ids = new HashSet<>();
        contents.forEach(content -> ids.add(messageId(content)));
        return ids;
    }

    private static Map<String, List<ReceivedMessage>> arrivals(List<ReceivedMessage> received) {
        Map<String, List<ReceivedMessage>> byId = new HashMap<>();
        for (ReceivedMessage message : received) {
            byId.computeIfAbsent(messageId(message.content()), id -> new ArrayList<>()).add(message);
        }
        return byId;
    }

    private static String messageId(byte[] content) {
        Matcher m = MESSAGE_ID.matcher(new String(content, StandardCharsets.ISO_8859_1));
        if (!m.find()) {
            throw new AssertionError("no crash-test Message-ID in a message");
        }
        return m.group(1) + "." + m.group(2);
    }
}
