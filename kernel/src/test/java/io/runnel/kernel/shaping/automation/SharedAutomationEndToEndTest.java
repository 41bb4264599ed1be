package io.runnel.kernel.shaping.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.queue.AdminRule;
import io.runnel.kernel.queue.QueueSelector;
import io.runnel.kernel.queue.Suspensions;
import io.runnel.kernel.shaping.store.RedisServerProcess;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one real redis-server: an automation action one node takes on a provider's reply is applied by the
 * other within seconds, for the time it has left, without the other node having seen the reply.
 */
class SharedAutomationEndToEndTest {

    private static final String SHAPING = """
            [["default".automation]]
            regex = '''\\[TSS?04\\]'''
            action = ["Suspend", {SetConfig={name="connection_limit", value=1}}]
            duration = "2h"
            """;

    @TempDir
    Path dir;

    private static TestDaemon node(Path home, SmtpSink sink, RedisServerProcess redis) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/shaping.toml"), SHAPING);
        return TestDaemon.start(home, """
                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [delivery]
                enable_tls = "disabled"

                [redis]
                url = "%s"
                key_prefix = "shared-automation:"
                """.formatted(sink.port(), redis.url()));
    }

    @Test
    void anActionOneNodeTakesIsAppliedByTheOther() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")));
             SmtpSink mx = SmtpSink.start(SinkOptions.defaults().withPort(0).withRecipientPolicy(
                     recipient -> SinkReply.of(421, "4.7.0 [TS04] Messages from 127.0.0.1 temporarily deferred")));
             TestDaemon a = node(dir.resolve("a"), mx, redis);
             TestDaemon b = node(dir.resolve("b"), mx, redis)) {
            String site = "route:127.0.0.1:" + mx.port();
            QueueSelector path = new QueueSelector("", "", "", site, "default");
            try (SmtpTestClient client = new SmtpTestClient(a.port())) {
                assertThat(client.send("someone@dest.example", "Subject: s\r\n\r\nhi\r\n")).startsWith("250");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> held(a, path));

            await().atMost(Duration.ofSeconds(10)).until(() -> held(b, path));
            AdminRule onB = b.get(Suspensions.class).active(AdminRule.Kind.SUSPEND).stream()
                    .filter(r -> r.selector().equals(path)).findFirst().orElseThrow();
            assertThat(onB.reason()).contains("[TS04]");
            assertThat(onB.expiresAt()).hasValueSatisfying(end -> assertThat(end)
                    .isBetween(Instant.now().plus(Duration.ofMinutes(119)), Instant.now().plus(Duration.ofHours(2))));
            await().atMost(Duration.ofSeconds(10)).until(() -> b.get(ShapingOverrides.class)
                    .active("default", site, "connection_limit", Instant.now()).isPresent());
            assertThat(b.get(ShapingOverrides.class).active("default", site, "connection_limit", Instant.now()).get().value())
                    .isEqualTo(1L);
        }
    }

    private static boolean held(TestDaemon node, QueueSelector path) {
        return node.get(Suspensions.class).active(AdminRule.Kind.SUSPEND).stream().anyMatch(r -> r.selector().equals(path));
    }
}
