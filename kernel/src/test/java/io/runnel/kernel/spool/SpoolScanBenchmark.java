package io.runnel.kernel.spool;

import io.netty.buffer.Unpooled;
import io.runnel.kernel.TempFolders;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.config.SpoolConfig.SyncMode;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.Suspensions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the start-up scan of a spool holding {@code messages} queued messages (1.5 KiB bodies, 100 tenants, 1,000
 * recipient domains, as {@code bench/scale} injects). {@code scan} reads and decodes every entry; {@code recover}
 * also puts each back in its scheduled queues, as {@link SpoolRecovery} does at start. One call is one whole scan
 * (single shot). Run by hand ({@code bench/jmh SpoolScan}): not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED"})
public class SpoolScanBenchmark {

    private static final Instant RECEIVED = Instant.parse("2026-11-29T05:00:00Z");

    @Param({"200000"})
    public int messages;

    private Path dir;
    private LmdbSpool spool;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("spool-scan-bench");
        spool = new LmdbSpool(new SpoolConfig(dir, 8L << 30, SyncMode.NONE, 1024, 126));
        spool.start();
        SpoolId.Factory ids = new SpoolId.Factory(Clock.systemUTC(), new SplittableRandom(1));
        byte[] body = TestMessages.bodyOfSize(1536, 1);
        List<CompletableFuture<?>> stored = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            stored.add(spool.store(meta(ids.next(), i), Unpooled.wrappedBuffer(body)));
            if (stored.size() == 1_000) {
                CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).join();
                stored.clear();
            }
        }
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).join();
    }

    private static MessageMeta meta(SpoolId id, int i) {
        return new MessageMeta(id, RECEIVED, EmailAddress.parse("bounces+" + i + "@sender.example"),
                List.of(Recipient.pending(EmailAddress.parse("user" + i + "@d" + (i % 1000) + ".example"), Set.of(),
                        Optional.empty())),
                new MailParameters(MailParameters.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty()),
                new ReceptionFacts("inject", "127.0.0.1", "grpc", "GRPC", Optional.empty(), Optional.empty()),
                Optional.of("t" + (i % 100)), Optional.empty(), 0, RECEIVED, 1536, Optional.empty(),
                Map.of("Message-ID", "<" + i + "@sender.example>"));
    }

    @TearDown
    public void tearDown() throws Exception {
        spool.stop(Duration.ofSeconds(30));
        TempFolders.delete(dir);
    }

    @Benchmark
    public long scan() throws SpoolException {
        AtomicLong count = new AtomicLong();
        spool.forEach(meta -> count.incrementAndGet(), corrupt -> {
            throw new IllegalStateException(corrupt);
        });
        return count.get();
    }

    @Benchmark
    public QueueManager recover() throws Exception {
        Path rules = Files.createTempDirectory("spool-scan-rules");
        QueueManager queues = new QueueManager(Clock.systemUTC(), new Suspensions(Clock.systemUTC(), rules,
                RandomGenerator.of("L64X128MixRandom")));
        spool.forEach(queues::enqueue, corrupt -> {
            throw new IllegalStateException(corrupt);
        });
        Files.delete(rules);
        return queues;
    }
}
