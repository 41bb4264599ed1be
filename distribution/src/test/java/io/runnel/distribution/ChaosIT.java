package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: senders injecting without pause, a receiving server that defers, rejects, drops and stalls at random, and
 * the daemon killed with SIGKILL at random moments and restarted on the same spool, again and again. Then calm: the
 * daemon restarted towards a well-behaved sink, the queue drained, a clean stop, and an exact ledger: every message
 * that got a 250 reached a sink or has a Bounce or Expiration record. Lost must be 0; duplicates are counted.
 *
 * <p>Longer by hand: {@code -Dchaos.kills=50 -Dchaos.seconds=600}; replay a run with its printed
 * {@code -Dchaos.seed=...}.
 */
class ChaosIT {

    private static final int SESSIONS = 4;
    private static final int CONNECTION_LIMIT = 8;

    @TempDir
    Path home;

    @Test
    void killNineUnderFaultyReceiversLosesNoAcknowledgedMessage() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        int kills = Integer.getInteger("chaos.kills", 5);
        int seconds = Integer.getInteger("chaos.seconds", 20);
        System.out.printf("ChaosIT: seed=%d kills=%d seconds=%d (replay: -Dchaos.seed=%d -Dchaos.kills=%d -Dchaos.seconds=%d)%n",
                seed, kills, seconds, seed, kills, seconds);
        Random random = new Random(seed);
        // the mean uptime between kills; each one is drawn from 0.2 to 1.8 times it, so some kills hit the recovery
        long meanUptimeMillis = seconds * 1000L / kills;

        ConcurrentMap<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        int port = RunnelProcess.freePort();
        List<ReceivedMessage> received = new ArrayList<>();
        try (ChaosSink chaos = ChaosSink.start(random.nextLong());
             SmtpSink calm = SmtpSink.start(SinkOptions.defaults().keepingMessages(true).withPort(0))) {
            writeConfiguration(port, chaos.port());
            for (int run = 0; run < kills; run++) {
                Duration uptime = Duration.ofMillis((long) (meanUptimeMillis * (0.2 + 1.6 * random.nextDouble())));
                long starting = System.nanoTime();
                try (RunnelProcess runnel = RunnelProcess.start(home, port, home.resolve("run-" + run + ".log"))) {
                    long startMillis = (System.nanoTime() - starting) / 1_000_000;
                    ExecutorService senders = Executors.newFixedThreadPool(SESSIONS);
                    for (int s = 0; s < SESSIONS; s++) {
                        senders.submit(new AckingSender(port, run * SESSIONS + s, acknowledged));
                    }
                    // the daemon must survive the faults on its own until the chosen moment
                    await().pollDelay(uptime).atMost(uptime.plusSeconds(5)).until(runnel::alive);
                    runnel.kill();
                    senders.shutdown();
                    assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                    System.out.printf("ChaosIT: kill %d after %d ms up (start took %d ms), %d acknowledged so far%n",
                            run + 1, uptime.toMillis(), startMillis, acknowledged.size());
                }
            }

            writeConfiguration(port, calm.port());
            long calmStart = System.nanoTime();
            try (RunnelProcess runnel = RunnelProcess.start(home, port, home.resolve("calm.log"))) {
                try {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                            ChaosLedger.of(acknowledged, both(chaos, calm), home.resolve("log"), true).complete());
                    System.out.printf("ChaosIT: every acknowledged message accounted for %d ms after the calm start%n",
                            (System.nanoTime() - calmStart) / 1_000_000);
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> spoolCount().contains("0 messages, 0 bytes"));
                    System.out.printf("ChaosIT: spool empty %d ms after the calm start%n",
                            (System.nanoTime() - calmStart) / 1_000_000);
                } catch (ConditionTimeoutException e) {
                    System.out.println("ChaosIT: the queue did not drain: " + e.getMessage());
                }
                assertThat(runnel.stop()).as("clean stop").isZero();
            }
            received.addAll(both(chaos, calm));
        }

        ChaosLedger ledger = ChaosLedger.of(acknowledged, received, home.resolve("log"), false);
        System.out.println(ledger.summary(kills));
        System.out.printf("ChaosIT: %d messages found delivered in the journal at a restart, not sent again%n",
                restartLogLines("before the restart (journal)"));
        assertThat(ledger.acknowledged()).as("messages acknowledged under chaos").isPositive();
        assertThat(ledger.lost()).as("acknowledged messages neither delivered nor bounced nor expired (seed %d)", seed)
                .isEmpty();
        assertThat(ledger.delivered() + ledger.bounced() + ledger.expired()).isEqualTo(ledger.acknowledged());
    }

    /** Lines of the daemon logs of every run (killed ones and the calm one) that contain {@code text}. */
    private long restartLogLines(String text) throws IOException {
        try (Stream<Path> logs = Files.list(home)) {
            long count = 0;
            for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
                    count += lines.filter(l -> l.contains(text)).count();
                }
            }
            return count;
        }
    }

    private static List<ReceivedMessage> both(ChaosSink chaos, SmtpSink calm) {
        List<ReceivedMessage> all = new ArrayList<>(chaos.received());
        all.addAll(calm.received());
        return all;
    }

    /** What {@code bin/runnel spool count} prints; works while the daemon runs. */
    private String spoolCount() throws Exception {
        Path output = home.resolve("count.txt");
        Files.deleteIfExists(output);
        assertThat(RunnelProcess.runToCompletion(home, output, "spool", "count")).isZero();
        return Files.readString(output);
    }

    /** Every domain to the sink on {@code sinkPort}; fast retries and a short max_age so the always-deferred ones expire. */
    private void writeConfiguration(int port, int sinkPort) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/runnel.toml"), """
                [spool]
                sync = "full"
                map_size = "256MiB"

                # no resolver is ever asked, nothing leaves the machine
                [dns]
                name_servers = ["127.0.0.1:9"]
                timeout = "200ms"

                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [queues]
                retry_interval = "1s"
                max_retry_interval = "2s"
                max_age = "60s"

                [delivery]
                connection_limit = %d
                max_deliveries_per_connection = 25
                enable_tls = "disabled"
                command_timeout = "2s"
                data_timeout = "2s"

                # the control plane on a free port, so concurrent test daemons never clash
                [grpc]
                listen = "127.0.0.1:0"

                [[listener]]
                bind = "127.0.0.1:%d"
                tls = "off"
                """.formatted(sinkPort, CONNECTION_LIMIT, port));
    }
}
