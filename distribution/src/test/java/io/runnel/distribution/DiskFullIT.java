package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system under the spool and the delivery log fills up while the LMDB map still has room: the real daemon
 * runs in a private mount namespace on a 32 MiB tmpfs, which the test fills and empties through
 * {@code /proc/<pid>/root}. Reception must answer 452 4.3.1 and acknowledge nothing it did not store, delivered mail
 * must wait in the spool while its records cannot be written, and everything must recover by itself once the
 * filler is gone, with every journal record there.
 */
class DiskFullIT {

    private static final Pattern MESSAGE_ID = Pattern.compile("\r\nMessage-ID: <([^>]+)>\r\n");
    private static final int HELD = 20;

    @TempDir
    Path home;

    private final AtomicBoolean holding = new AtomicBoolean(true);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFullDiskRefusesWith452KeepsDeliveredMailUntilItsRecordsAreWrittenAndRecoversWhenSpaceReturns()
            throws Exception {
        Path var = home.resolve("var");
        Files.createDirectories(var);
        assumeTmpfsInPrivateNamespace();
        try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withPort(0).keepingMessages(true)
                .withRecipientPolicy(recipient -> holding.get() ? SinkReply.of(451, "4.3.2 Held by the test")
                        : RecipientPolicy.ACCEPTED))) {
            int port = RunnelProcess.freePort();
            int metricsPort = RunnelProcess.freePort();
            RunnelProcess.writeConfig(home, sink.port(), port, """
                    [spool]
                    path = "var/spool"
                    map_size = "256MiB"
                    min_free = "1MiB"

                    [log]
                    path = "var/log"
                    headers = ["Subject"]

                    [queues]
                    retry_interval = "1s"
                    max_retry_interval = "1s"

                    [metrics]
                    enabled = true
                    listen = "127.0.0.1:%d"
                    """.formatted(metricsPort));
            List<String> wrapper = List.of("unshare", "-rm", "sh", "-c",
                    "mount -t tmpfs -o size=32m tmpfs \"$0\" && exec \"$@\"", var.toString());
            try (RunnelProcess runnel = RunnelProcess.start(home, port, home.resolve("runnel.log"), wrapper)) {
                Path inside = Path.of("/proc/" + runnel.pid() + "/root").resolve(var.toString().substring(1));
                URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
                List<String> acknowledged = new ArrayList<>();
                try (Smtp smtp = Smtp.connect(port)) {
                    for (int i = 0; i < HELD; i++) {
                        assertThat(smtp.transaction("bob@held.example", message("held-" + i, 4 * 1024))).startsWith("250");
                        acknowledged.add("held-" + i);
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> metric(metrics, "runnel_spool_messages") == HELD);

                Smtp pending = Smtp.connect(port); // its envelope is accepted while there is room
                assertThat(pending.command("MAIL FROM:<alice@example.com>")).startsWith("250");
                assertThat(pending.command("RCPT TO:<bob@held.example>")).startsWith("250");

                Path filler = inside.resolve("filler");
                double failuresBefore = metric(metrics, "runnel_delivery_log_write_failures_total");
                fill(filler);

                // the commit cannot get the file blocks it needs: 452, not 451 and not a dropped connection
                assertThat(pending.command("DATA")).startsWith("354");
                assertThat(pending.data(message("refused-data", 1 << 20))).startsWith("452 4.3.1");
                assertThat(pending.command("NOOP")).startsWith("250");
                // new transactions are refused at MAIL FROM (the room is measured at most every 500 ms)
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> mailRefused(pending));
                pending.close();

                // the held mail's TransientFailure records (one per retry, every second) no longer fit: once a write
                // failed, the part that did fit filled the journal segment's last page, whose slack a file system
                // counts as used. Until then a Delivery record could still land there, and its message leave the
                // spool legitimately.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> metric(metrics, "runnel_delivery_log_write_failures_total") > failuresBefore);

                // held mail is delivered now, but its Delivery records cannot be written: it stays in the spool
                holding.set(false);
                await().atMost(Duration.ofSeconds(20)).until(() -> sink.messageCount() >= HELD);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> metric(metrics, "runnel_spool_messages") == HELD);
                assertThat(runnel.alive()).isTrue();

                long freed = System.nanoTime();
                Files.delete(filler);
                long acceptingMillis = -1;
                try (Smtp again = Smtp.connect(port)) {
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                            .until(() -> !mailRefused(again));
                    assertThat(again.command("RSET")).startsWith("250");
                    assertThat(again.command("MAIL FROM:<alice@example.com>")).startsWith("250");
                    acceptingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freed);
                    assertThat(again.command("RCPT TO:<bob@held.example>")).startsWith("250");
                    assertThat(again.command("DATA")).startsWith("354");
                    assertThat(again.data(message("after", 4 * 1024))).startsWith("250");
                    acknowledged.add("after");
                }
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> metric(metrics, "runnel_spool_messages") == 0);
                long drainedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freed);

                Map<String, Integer> arrivals = arrivals(sink.received());
                assertThat(arrivals.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(arrivals.values()).containsOnly(1);
                List<JsonNode> records = journal(inside.resolve("log"));
                assertThat(ids(records, "Reception")).containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(ids(records, "Delivery")).containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(runnel.alive()).isTrue();
                List<String> complaints = runnel.log().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
                complaints.forEach(System.out::println);
                assertThat(complaints).as("failures that repeat per message are logged once per interval").hasSizeLessThan(40);
                System.out.printf("disk full: accepting again %d ms after space returned, spool drained (records "
                        + "written, delivered mail removed) after %d ms%n", acceptingMillis, drainedMillis);
                assertThat(runnel.stop()).isZero();
            }
        }
    }

    /** True on 452 4.3.1 at MAIL FROM; after a 250 the transaction is reset (a second MAIL would be an error). */
    private static boolean mailRefused(Smtp smtp) throws IOException {
        String reply = smtp.command("MAIL FROM:<alice@example.com>");
        if (reply.startsWith("452 4.3.1")) {
            return true;
        }
        assertThat(reply).startsWith("250");
        assertThat(smtp.command("RSET")).startsWith("250");
        return false;
    }

    /** Skips (never passes silently) where a private mount namespace with a tmpfs cannot be had. */
    private void assumeTmpfsInPrivateNamespace() throws Exception {
        Path probe = Files.createDirectory(home.resolve("probe"));
        Process p;
        try {
            p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\"", probe.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("unshare is not installed (util-linux): " + e.getMessage());
            return;
        }
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        Assumptions.assumeTrue(done && p.exitValue() == 0,
                "cannot mount a tmpfs in a private mount namespace (unshare -rm): " + output.strip());
    }

    /** Writes {@code filler} until the file system refuses: full to the last block. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            // down to single bytes: a few hundred bytes left over would take a whole journal record, and its message
            // could then leave the spool legitimately while the test expects every held one to wait
            for (int size = block.length; size >= 1; size /= 2) {
                try {
                    while (true) {
                        out.write(block, 0, size);
                    }
                } catch (IOException full) {
                    // the file system is full at this block size; smaller blocks take what is left
                }
            }
        } catch (IOException closing) {
            // close flushes nothing (unbuffered) but may report the same ENOSPC again
        }
    }

    private double metric(URI metrics, String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    private static String message(String id, int bytes) {
        StringBuilder text = new StringBuilder("From: alice@example.com\r\nTo: bob@held.example\r\nMessage-ID: <")
                .append(id).append(">\r\nSubject: ").append(id).append("\r\n\r\n");
        while (text.length() < bytes) {
            text.append("x".repeat(998)).append("\r\n");
        }
        return text.toString();
    }

    private static Map<String, Integer> arrivals(List<ReceivedMessage> received) {
        Map<String, Integer> count = new HashMap<>();
        for (ReceivedMessage m : received) {
            Matcher id = MESSAGE_ID.matcher(new String(m.content(), StandardCharsets.US_ASCII));
            assertThat(id.find()).isTrue();
            count.merge(id.group(1), 1, Integer::sum);
        }
        return count;
    }

    /** Every line of every segment, each a complete JSON object. */
    private static List<JsonNode> journal(Path folder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : JournalLines.all(folder)) {
            out.add(json.readTree(line));
        }
        return out;
    }

    /** The message names (their Subject, copied into records by {@code [log] headers}) of the records of {@code type}. */
    private static List<String> ids(List<JsonNode> records, String type) {
        return records.stream().filter(r -> r.get("type").asText().equals(type))
                .map(r -> r.path("headers").path("Subject").asText()).toList();
    }
}
