package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.spool.LmdbSpool;
import io.runnel.kernel.spool.SpoolId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract, end to end: the real launcher, several sessions sending, SIGKILL in mid-stream, a restart
 * on the same spool. Every message that got a 250 must be there, byte-exact.
 */
class CrashSafetyIT {

    private static final int SESSIONS = 6;

    @TempDir
    Path home;

    @Test
    void everyAcknowledgedMessageSurvivesKillNine() throws Exception {
        int port = RunnelProcess.freePort();
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/runnel.toml"), """
                [spool]
                sync = "full"
                map_size = "256MiB"

                # no resolver answers here: messages stay spooled, deferred, and never leave the machine
                [dns]
                name_servers = ["127.0.0.1:9"]
                timeout = "200ms"

                # the control plane on a free port, so concurrent test daemons never clash
                [grpc]
                listen = "127.0.0.1:0"

                [[listener]]
                bind = "127.0.0.1:%d"
                tls = "off"
                """.formatted(port));
        ConcurrentMap<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        Path firstLog = home.resolve("first.log");
        try (RunnelProcess runnel = RunnelProcess.start(home, port, firstLog)) {
            ExecutorService senders = Executors.newFixedThreadPool(SESSIONS);
            for (int s = 0; s < SESSIONS; s++) {
                senders.submit(new AckingSender(port, s, acknowledged));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 400);
            runnel.kill(); // mid-stream: the senders are still sending
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(400);

        Path secondLog = home.resolve("second.log");
        try (RunnelProcess restarted = RunnelProcess.start(home, port, secondLog)) {
            assertThat(restarted.log()).contains("spool recovered");
            assertThat(restarted.stop()).isZero();
        }

        RunnelConfig config = new ConfigLoader(home).load(home.resolve("conf/runnel.toml"));
        LmdbSpool spool = new LmdbSpool(config.spool());
        spool.start();
        try {
            for (Map.Entry<String, byte[]> sent : acknowledged.entrySet()) {
                Optional<byte[]> stored = spool.loadBody(SpoolId.parse(sent.getKey()));
                assertThat(stored).as("acknowledged message %s", sent.getKey()).isPresent();
                byte[] body = stored.get();
                assertThat(new String(body, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("Received:");
                byte[] tail = Arrays.copyOfRange(body, body.length - sent.getValue().length, body.length);
                assertThat(tail).as("content of %s", sent.getKey()).isEqualTo(sent.getValue());
            }
        } finally {
            spool.stop(Duration.ofSeconds(5));
        }
    }
}
