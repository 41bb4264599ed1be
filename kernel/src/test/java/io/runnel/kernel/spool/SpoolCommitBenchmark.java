package io.runnel.kernel.spool;

import io.netty.buffer.Unpooled;
import io.runnel.kernel.TempFolders;
import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.config.SpoolConfig.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: stored messages per second on a real LMDB spool in a temp folder, {@code sync = "full"}, 4 KiB bodies. Each
 * call stores one message and waits for its commit, as a session waits before its 250 reply. {@code oneWriter} is
 * one session (every commit pays an fsync); {@code sixteenWriters} is sixteen concurrent sessions sharing commits
 * (group commit). Stored messages are left in place: the map is large enough for a run. Run by hand
 * ({@code bench/jmh}): not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens",
        "java.base/sun.nio.ch=ALL-UNNAMED"})
public class SpoolCommitBenchmark {

    @Param({"full"})
    public String sync;

    private Path dir;
    private LmdbSpool spool;
    private SpoolId.Factory ids;
    private byte[] body;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("spool-bench");
        spool = new LmdbSpool(new SpoolConfig(dir, 8L << 30, SyncMode.valueOf(sync.toUpperCase(Locale.ROOT)),
                1024, 126));
        spool.start();
        ids = new SpoolId.Factory(Clock.systemUTC(), new SplittableRandom(1));
        body = TestMessages.bodyOfSize(4096, 1);
    }

    @TearDown
    public void tearDown() throws Exception {
        spool.stop(Duration.ofSeconds(30));
        TempFolders.delete(dir);
    }

    @Benchmark
    @Threads(1)
    public void oneWriter() {
        store();
    }

    @Benchmark
    @Threads(16)
    public void sixteenWriters() {
        store();
    }

    private void store() {
        spool.store(TestMessages.minimalMeta(ids.next()), Unpooled.wrappedBuffer(body)).join();
    }
}
