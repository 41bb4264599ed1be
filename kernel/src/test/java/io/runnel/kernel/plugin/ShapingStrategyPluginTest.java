package io.runnel.kernel.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.delivery.DeliveryEngine;
import io.runnel.kernel.delivery.ReadyQueueSnapshot;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ShapingStrategy from a plugin jar, named by {@code [shaping] strategy}: it sees each site's recent outcomes and
 * its decision caps the connections the static shaping would allow.
 */
class ShapingStrategyPluginTest {

    @TempDir
    Path home;

    private void buildStrategyPlugin() throws Exception {
        Files.createDirectories(home.resolve("strategy"));
        PluginJarBuilder.plugin("one-at-a-time").extension("t.strategy.OneAtATime", """
                package t.strategy;
                import io.runnel.api.plugin.PluginContext;
                import io.runnel.api.shaping.*;
                import java.io.IOException;
                import java.io.UncheckedIOException;
                import java.nio.file.*;
                import java.time.Instant;
                /** One connection per site; writes each state it is shown to strategy/seen.txt. */
                public class OneAtATime implements ShapingStrategy {
                    private final Path seen;
                    public OneAtATime(PluginContext context) { seen = context.home().resolve("strategy/seen.txt"); }
                    @Override public ShapingDecision decide(DestinationState state, Instant now) {
                        try {
                            Files.writeString(seen, state.site() + " " + state.recentDeliveries() + "\\n",
                                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        return new ShapingDecision.SendNow(1);
                    }
                }
                """).build(Files.createDirectories(home.resolve("plugins")));
    }

    @Test
    void theStrategysDecisionCapsConnectionsAndItSeesRecentDeliveries() throws Exception {
        buildStrategyPlugin();
        int messages = 30;
        try (SmtpSink mx = SmtpSink.start(SinkOptions.defaults().withPort(0));
             TestDaemon daemon = TestDaemon.start(home, """
                     [[route]]
                     domain = "*"
                     hosts = ["127.0.0.1:%d"]

                     [delivery]
                     enable_tls = "disabled"
                     connection_limit = 8
                     max_deliveries_per_connection = 5

                     [shaping]
                     strategy = "one-at-a-time"
                     """.formatted(mx.port()))) {
            DeliveryEngine engine = daemon.get(DeliveryEngine.class);
            String site = "route:127.0.0.1:" + mx.port();
            engine.suspendSite("default", site, "filling the ready queue");
            try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
                for (int i = 0; i < messages; i++) {
                    assertThat(client.send("r" + i + "@dest.example", "Subject: s\r\n\r\nhi\r\n")).startsWith("250");
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> engine.readySnapshot().size() == messages);
            AtomicInteger most = new AtomicInteger();
            engine.resumeSite("default", site);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> {
                engine.readyQueues().stream().mapToInt(ReadyQueueSnapshot::connections).max()
                        .ifPresent(n -> most.accumulateAndGet(n, Math::max));
                return mx.messageCount() == messages;
            });

            assertThat(most.get()).as("connections at once").isEqualTo(1);
            List<String> seen = Files.readAllLines(home.resolve("strategy/seen.txt"));
            assertThat(seen).allSatisfy(line -> assertThat(line).startsWith(site + " "));
            assertThat(seen).anySatisfy(line -> assertThat(Integer.parseInt(line.split(" ")[1])).isGreaterThanOrEqualTo(10));
        }
    }
}
