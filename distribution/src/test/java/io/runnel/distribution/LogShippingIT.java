package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.luben.zstd.ZstdInputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped file-log and webhook plugins in the real daemon: mail flows while the webhook answers 500, the webhook
 * then gets every record, and records journaled while it was down before a restart arrive after the restart.
 */
class LogShippingIT {

    @TempDir
    Path home;

    private final List<String> posted = new CopyOnWriteArrayList<>();
    private volatile boolean webhookUp;

    @Test
    void sinksGetEveryRecordInJournalOrderThroughAnOutageAndARestart() throws Exception {
        Files.createDirectories(home.resolve("plugins"));
        for (String jar : List.of("runnel-plugin-file-sink.jar", "runnel-plugin-webhook-sink.jar")) {
            Files.copy(RunnelProcess.dist().resolve("plugins/" + jar), home.resolve("plugins/" + jar));
        }
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        webhook.createContext("/hook", this::hook);
        webhook.start();
        try (SmtpSink mx = SmtpSink.start(SinkOptions.defaults().withPort(0))) {
            int port = RunnelProcess.freePort();
            RunnelProcess.writeConfig(home, mx.port(), port, """
                    [delivery]
                    enable_tls = "disabled"

                    [log.sink.webhook]
                    min_backoff = "50ms"
                    max_backoff = "200ms"

                    [plugins]
                    required = ["file-log", "webhook"]

                    [plugins.file-log]
                    segment_size = "4KiB"

                    [plugins.webhook]
                    url = "http://127.0.0.1:%d/hook"
                    format = "json_lines"
                    timeout = "5s"
                    """.formatted(webhook.getAddress().getPort()));
            try (RunnelProcess runnel = RunnelProcess.start(home, port, home.resolve("runnel.log"))) {
                send(port, 0, 20);
                await().atMost(Duration.ofSeconds(30)).until(() -> mx.messageCount() == 20);
                await().atMost(Duration.ofSeconds(30)).until(() -> archived().size() == 40); // file sink is up
                assertThat(posted).isEmpty();

                webhookUp = true;
                await().atMost(Duration.ofSeconds(30)).until(() -> distinct(posted).size() == 40);
                webhookUp = false;
                send(port, 20, 10);
                await().atMost(Duration.ofSeconds(30)).until(() -> mx.messageCount() == 30);
                assertThat(runnel.stop()).isZero();
            }
            try (RunnelProcess runnel = RunnelProcess.start(home, port, home.resolve("runnel.log"))) {
                send(port, 30, 5);
                await().atMost(Duration.ofSeconds(30)).until(() -> mx.messageCount() == 35);
                webhookUp = true;
                await().atMost(Duration.ofSeconds(30)).until(() -> distinct(posted).size() == 70);
                await().atMost(Duration.ofSeconds(30)).until(() -> archived().size() >= 70);
                assertThat(runnel.stop()).isZero();
                assertThat(runnel.log()).contains("log sink failed a batch").contains("sink=\"webhook\"");
            }
        } finally {
            webhook.stop(0);
        }
        List<String> journal = journal();
        assertThat(journal).hasSize(70);
        assertThat(distinct(posted)).containsExactlyElementsOf(journal);
        assertThat(distinct(archived())).containsExactlyElementsOf(journal);
    }

    private void hook(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (webhookUp) {
            posted.addAll(body.lines().toList());
        }
        exchange.sendResponseHeaders(webhookUp ? 204 : 500, -1);
        exchange.close();
    }

    private static List<String> distinct(List<String> lines) {
        return new ArrayList<>(new LinkedHashSet<>(lines));
    }

    private List<String> journal() throws IOException {
        return readSegments(home.resolve("log"));
    }

    /** The file sink's archive: compressed closed segments and the plain current one, in name order. */
    private List<String> archived() throws IOException {
        return readSegments(home.resolve("log-archive"));
    }

    private static List<String> readSegments(Path folder) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return lines;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(f -> f.toString().endsWith(".jsonl") || f.toString().endsWith(".jsonl.zst")).sorted().toList();
        }
        for (Path f : files) {
            try (InputStream in = f.toString().endsWith(".zst") ? new ZstdInputStream(Files.newInputStream(f))
                    : Files.newInputStream(f)) {
                lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            } catch (IOException e) {
                // a segment being compressed right now: read again on the next poll
                return List.of();
            }
        }
        return lines;
    }

    private static void send(int port, int from, int count) throws IOException {
        try (Smtp smtp = Smtp.connect(port)) {
            for (int i = from; i < from + count; i++) {
                assertThat(smtp.transaction("bob" + i + "@example.net",
                        "Subject: " + i + "\r\nX-Tenant: acme\r\n\r\nhello " + i + "\r\n")).startsWith("250");
            }
        }
    }
}
