package io.runnel.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.runnel.api.log.LogEvent;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.testing.TestPluginContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real HTTP server on loopback that answers 500, then stalls past the client's timeout, then recovers,
 * driven the way the kernel drives a sink (the same batch again until it is accepted).
 */
class WebhookSinkTest {

    private HttpServer server;
    private ExecutorService serverThreads;
    private final CountDownLatch releaseStalls = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, List<String>> receivedByPath = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    /** Request numbers (1-based) answered 500, and the one that stalls. */
    private volatile int failUpTo;
    private volatile int stallAt;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        releaseStalls.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
        serverThreads.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int n = requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
        int status = 200;
        if (n <= failUpTo) {
            status = 500;
        } else {
            // the server takes the records even when it answers too late: the client's retry repeats them
            receivedByPath.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new CopyOnWriteArrayList<>())
                    .addAll(records(body));
            if (n == stallAt) {
                try {
                    releaseStalls.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** The test's records have no nested objects: split an array on "},{" or lines on newlines. */
    private static List<String> records(String body) {
        if (body.startsWith("[")) {
            String inner = body.substring(1, body.length() - 1);
            return Arrays.stream(inner.split("(?<=\\}),(?=\\{)")).toList();
        }
        return body.lines().toList();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private WebhookSink sink(Map<String, ?> config) throws PluginConfigException {
        return new WebhookSink(TestPluginContext.of("webhook", config));
    }

    private static LogEvent event(int n, String tenant) {
        String json = "{\"type\":\"Delivery\",\"id\":\"m" + n + "\",\"meta\":{\"tenant\":\"" + tenant + "\"}}";
        return new LogEvent(LogEvent.Type.DELIVERY, "m" + n, "r@example.net", Instant.EPOCH,
                Optional.ofNullable(tenant.isEmpty() ? null : tenant), Optional.empty(), json);
    }

    /** Publishes each batch until it is accepted, as the kernel does; returns the failed attempts. */
    private static int shipAll(WebhookSink sink, List<List<LogEvent>> batches) throws InterruptedException {
        int failures = 0;
        for (List<LogEvent> batch : batches) {
            while (true) {
                try {
                    sink.publish(batch);
                    break;
                } catch (IOException e) {
                    failures++;
                }
            }
        }
        return failures;
    }

    private static List<String> distinctInArrivalOrder(List<String> received) {
        return new ArrayList<>(new LinkedHashSet<>(received));
    }

    @Test
    void everyRecordArrivesAtLeastOnceInOrderPerTenantThroughErrorsAndAStall() throws Exception {
        failUpTo = 3;
        stallAt = 5;
        WebhookSink sink = sink(Map.of(
                "url", url("/default"),
                "headers", List.of("Authorization: Bearer default-token"),
                "timeout", "0.3s", // MapConfig reads ISO-8601 amounts; runnel.toml says "300ms"
                "tenant", List.of(
                        Map.of("name", "acme", "url", url("/acme")),
                        Map.of("name", "beta", "url", url("/beta"), "headers", List.of("Authorization: Bearer beta")))));
        String[] tenants = {"acme", "beta", "", "acme"};
        List<LogEvent> all = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            all.add(event(i, tenants[i % tenants.length]));
        }
        List<List<LogEvent>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 10) {
            batches.add(all.subList(i, i + 10));
        }

        int failures = shipAll(sink, batches);

        assertThat(failures).isGreaterThanOrEqualTo(4); // three 500s and one timeout
        for (String tenant : List.of("acme", "beta", "")) {
            List<String> expected = all.stream().filter(e -> e.tenant().orElse("").equals(tenant)).map(LogEvent::json).toList();
            List<String> got = receivedByPath.get(tenant.isEmpty() ? "/default" : "/" + tenant);
            assertThat(got).containsAll(expected);
            assertThat(distinctInArrivalOrder(got)).as("first arrivals in order for " + tenant)
                    .containsExactlyElementsOf(expected);
        }
        int duplicates = receivedByPath.values().stream().mapToInt(List::size).sum() - all.size();
        assertThat(duplicates).as("the stalled request's records came again").isPositive();
        assertThat(authorizations).contains("Bearer default-token", "Bearer beta");
        assertThat(contentTypes).containsOnly("application/json");
    }

    @Test
    void jsonLinesSendsOneRecordPerLine() throws Exception {
        WebhookSink sink = sink(Map.of("url", url("/lines"), "format", "json_lines"));
        List<LogEvent> batch = List.of(event(1, "acme"), event(2, ""));
        sink.publish(batch);
        assertThat(receivedByPath.get("/lines")).containsExactly(batch.get(0).json(), batch.get(1).json());
        assertThat(contentTypes).containsExactly("application/x-ndjson");
    }

    @Test
    void recordsOfTenantsWithoutAnEndpointAreNotSentWhenThereIsNoDefault() throws Exception {
        WebhookSink sink = sink(Map.of("tenant", List.of(Map.of("name", "acme", "url", url("/acme")))));
        sink.publish(List.of(event(1, "other"), event(2, "acme"), event(3, "")));
        assertThat(receivedByPath.keySet()).containsExactly("/acme");
        assertThat(receivedByPath.get("/acme")).containsExactly(event(2, "acme").json());
    }

    @Test
    void aNon2xxAnswerFailsTheBatch() throws Exception {
        failUpTo = 1;
        WebhookSink sink = sink(Map.of("url", url("/x")));
        Throwable failure = catchThrowable(() -> sink.publish(List.of(event(1, ""))));
        assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("answered 500");
    }

    @Test
    void badSettingsNameTheKey() {
        assertThat(catchThrowable(() -> sink(Map.of()))).hasMessageContaining("plugins.webhook.url: missing");
        assertThat(catchThrowable(() -> sink(Map.of("url", "ftp://x/")))).hasMessageContaining("plugins.webhook.url");
        assertThat(catchThrowable(() -> sink(Map.of("url", url("/"), "format", "xml"))))
                .hasMessageContaining("plugins.webhook.format");
        assertThat(catchThrowable(() -> sink(Map.of("url", url("/"), "headers", List.of("no colon")))))
                .hasMessageContaining("plugins.webhook.headers");
        assertThat(catchThrowable(() -> sink(Map.of("url", url("/"), "tenant", List.of(Map.of("name", "a"))))))
                .hasMessageContaining("plugins.webhook.tenant[0].url: missing");
        assertThat(catchThrowable(() -> sink(Map.of("url", url("/"), "retries", 3L)))).hasMessageContaining("unknown key");
    }
}
