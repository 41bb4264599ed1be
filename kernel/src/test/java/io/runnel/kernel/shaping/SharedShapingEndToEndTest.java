package io.runnel.kernel.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.Journal;
import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.delivery.DeliveryEngine;
import io.runnel.kernel.shaping.store.RedisServerProcess;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits beyond one ready queue at real sinks: a tenant's rate does not slow another tenant, and two nodes on one
 * real redis-server keep a shared rate and a shared connection limit between them.
 */
class SharedShapingEndToEndTest {

    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();

    private SmtpSink sink() throws Exception {
        return SmtpSink.start(SinkOptions.defaults().withPort(0).withRecipientPolicy(recipient -> {
            arrivals.add(System.nanoTime());
            return RecipientPolicy.ACCEPTED;
        }));
    }

    private static TestDaemon daemon(Path home, String shaping, String toml) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/shaping.toml"), shaping);
        return TestDaemon.start(home, toml);
    }

    private static String route(SmtpSink sink) {
        return """
                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [delivery]
                enable_tls = "disabled"
                """.formatted(sink.port());
    }

    private static void send(TestDaemon daemon, String tenant, int count) throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            for (int i = 0; i < count; i++) {
                assertThat(client.send(tenant + i + "@dest.example",
                        "X-Tenant: " + tenant + "\r\nSubject: s\r\n\r\nhi\r\n")).startsWith("250");
            }
        }
    }

    @Test
    void aThrottledTenantDoesNotSlowAnotherTenantsMail() throws Exception {
        try (SmtpSink mx = sink();
             TestDaemon daemon = daemon(dir, """
                     [tenant."acme"]
                     max_message_rate = "1/h,max_burst=1"
                     """, route(mx) + """
                     [[egress.source]]
                     name = "acme-ip"
                     [[egress.source]]
                     name = "beta-ip"
                     [[egress.pool]]
                     name = "acme-pool"
                     [[egress.pool.entry]]
                     name = "acme-ip"
                     [[egress.pool]]
                     name = "beta-pool"
                     [[egress.pool.entry]]
                     name = "beta-ip"
                     [[tenant]]
                     name = "acme"
                     pool = "acme-pool"
                     [[tenant]]
                     name = "beta"
                     pool = "beta-pool"
                     """)) {
            DeliveryEngine engine = daemon.get(DeliveryEngine.class);
            String site = "route:127.0.0.1:" + mx.port();
            send(daemon, "acme", 10);
            // acme's own site is suspended as well: neither holds beta back
            engine.suspendSite("acme-ip", site, "acme is paused");
            send(daemon, "beta", 10);

            await().atMost(Duration.ofSeconds(20)).until(() -> Journal.records(dir, "Delivery").stream()
                    .filter(r -> r.path("meta").path("tenant").asText().equals("beta")).count() == 10);
            assertThat(Journal.records(dir, "Delivery")).filteredOn(r -> r.path("meta").path("tenant").asText().equals("acme"))
                    .as("acme: one message within its rate, the rest wait").hasSizeLessThanOrEqualTo(1);
            assertThat(Journal.records(dir, "TransientFailure")).isEmpty();
            assertThat(daemon.spooledIds()).hasSizeGreaterThanOrEqualTo(9);
        }
    }

    @Test
    void twoNodesOnOneRedisKeepTheSharedRateAndConnectionLimitBetweenThem() throws Exception {
        int perNode = 25;
        String shaping = """
                ["default"]
                additional_message_rate_throttles = { "cluster" = "10/s,max_burst=1" }
                additional_connection_limits = { "cluster" = 2 }
                """;
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")));
             SmtpSink mx = sink()) {
            String redisSection = "\n[redis]\nurl = \"" + redis.url() + "\"\nkey_prefix = \"two-nodes:\"\n";
            try (TestDaemon a = daemon(dir.resolve("a"), shaping, route(mx) + redisSection);
                 TestDaemon b = daemon(dir.resolve("b"), shaping, route(mx) + redisSection)) {
                AtomicInteger mostConnections = new AtomicInteger();
                send(a, "acme", perNode);
                send(b, "beta", perNode);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> {
                    mostConnections.accumulateAndGet(establishedTo(mx.port()), Math::max);
                    return mx.messageCount() == 2L * perNode;
                });

                List<Long> times = arrivals.stream().sorted().toList();
                double rate = (times.size() - 1) / ((times.get(times.size() - 1) - times.get(0)) / 1e9);
                assertThat(rate).as("messages per second of both nodes together").isBetween(7.0, 11.0);
                assertThat(mostConnections.get()).as("connections of both nodes at once").isBetween(1, 2);
            }
        }
    }

    /** TCP connections established to the sink now, as the kernel's socket table has them. */
    private static int establishedTo(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Htn", "state", "established", "( sport = :" + port + " )")
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        ss.waitFor();
        return (int) out.lines().filter(line -> !line.isBlank()).count();
    }
}
