package io.runnel.kernel.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.Journal;
import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.log.LogShipping;
import io.runnel.kernel.log.SinkStats;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real LogSink plugin jar in a real daemon: mail is accepted and delivered while the sink is down, and once it
 * is back it gets every record, in journal order, also those written before a daemon restart.
 */
class LogShippingEndToEndTest {

    @TempDir
    Path home;

    private Path received() {
        return home.resolve("sink/received.jsonl");
    }

    private Path down() {
        return home.resolve("sink/down");
    }

    private void buildSinkPlugin() throws IOException {
        Files.createDirectories(home.resolve("sink"));
        PluginJarBuilder.plugin("linesink").extension("t.sink.LineSink", """
                package t.sink;
                import io.runnel.api.log.*;
                import io.runnel.api.plugin.PluginContext;
                import java.io.IOException;
                import java.nio.file.*;
                import java.util.List;
                /** Appends each record's line to sink/received.jsonl; "down" while sink/down exists. */
                public class LineSink implements LogSink {
                    private final Path folder;
                    public LineSink(PluginContext context) { folder = context.home().resolve("sink"); }
                    @Override public void publish(List<LogEvent> batch) throws IOException {
                        if (Files.exists(folder.resolve("down"))) throw new IOException("sink is down");
                        StringBuilder text = new StringBuilder();
                        for (LogEvent e : batch) text.append(e.json()).append('\\n');
                        Files.writeString(folder.resolve("received.jsonl"), text, StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
                    }
                    @Override public int maxBatchSize() { return 7; }
                }
                """).build(Files.createDirectories(home.resolve("plugins")));
    }

    private TestDaemon start(int sinkPort) throws Exception {
        return TestDaemon.start(home, """
                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [delivery]
                enable_tls = "disabled"

                [log.sink.linesink]
                min_backoff = "20ms"
                max_backoff = "100ms"
                """.formatted(sinkPort));
    }

    @Test
    void mailFlowsWhileTheSinkIsDownAndTheSinkCatchesUpAfterwardsAcrossARestart() throws Exception {
        buildSinkPlugin();
        Files.createFile(down());
        try (SmtpSink mx = SmtpSink.start(SinkOptions.defaults().withPort(0))) {
            try (TestDaemon daemon = start(mx.port())) {
                send(daemon.port(), 0, 15);
                await().atMost(Duration.ofSeconds(30)).until(() -> mx.messageCount() == 15);
                LogShipping shipping = daemon.get(LogShipping.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> stats(shipping).failedBatches() >= 2);
                assertThat(received()).doesNotExist();

                Files.delete(down());
                await().atMost(Duration.ofSeconds(20)).until(() -> receivedIds().size() == 30); // reception + delivery
                await().atMost(Duration.ofSeconds(10)).until(() -> stats(shipping).lagBytes() == 0);
                assertThat(stats(shipping).shipped()).isEqualTo(30);
                Files.createFile(down());
                send(daemon.port(), 15, 5); // journaled, not shipped: the sink is down again when the daemon stops
                await().atMost(Duration.ofSeconds(30)).until(() -> mx.messageCount() == 20);
            }
            try (TestDaemon daemon = start(mx.port())) {
                send(daemon.port(), 20, 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> mx.messageCount() == 25);
                Files.delete(down());
                await().atMost(Duration.ofSeconds(20)).until(() -> receivedIds().size() >= 50);
                assertThat(receivedIds()).containsExactlyElementsOf(journalIds());
                assertThat(Files.readAllLines(received())).containsExactlyElementsOf(journalLines());
            }
        }
    }

    private static SinkStats stats(LogShipping shipping) {
        return shipping.stats().stream().filter(s -> s.sinkId().equals("linesink")).findFirst().orElseThrow();
    }

    /** Distinct type+id+recipient of what the sink got, in arrival order (at least once: repeats collapse). */
    private List<String> receivedIds() throws IOException {
        if (!Files.exists(received())) {
            return List.of();
        }
        String text = Files.readString(received());
        // the sink may be writing a line right now: only complete lines count
        List<String> lines = text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
        return new ArrayList<>(new LinkedHashSet<>(lines.stream().map(this::key).toList()));
    }

    private List<String> journalIds() throws IOException {
        return journalLines().stream().map(this::key).toList();
    }

    private List<String> journalLines() throws IOException {
        return Journal.lines(home);
    }

    private String key(String line) {
        int type = line.indexOf("\"type\":\"");
        int id = line.indexOf("\"id\":\"");
        return line.substring(type, line.indexOf('"', type + 8)) + line.substring(id, line.indexOf('"', id + 6));
    }

    private static void send(int port, int from, int count) throws IOException {
        try (SmtpTestClient client = new SmtpTestClient(port)) {
            for (int i = from; i < from + count; i++) {
                assertThat(client.send("alice@example.com", "bob" + i + "@example.net",
                        "Subject: " + i + "\r\nX-Tenant: acme\r\n\r\nhello " + i + "\r\n")).startsWith("250");
            }
        }
    }
}
