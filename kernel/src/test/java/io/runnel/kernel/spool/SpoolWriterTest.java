package io.runnel.kernel.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.config.SpoolConfig.SyncMode;
import io.runnel.kernel.metrics.SpoolMetrics;
import io.runnel.kernel.spool.SpoolException.SpoolFull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer on its own. Writes queued before its thread starts are all drained by its first take, so batches
 * here are deterministic, unlike through {@link LmdbSpool} where they depend on timing.
 */
class SpoolWriterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final SpoolId.Factory ids = TestMessages.ids();
    private final MessageMetaCodec codec = new MessageMetaCodec();
    private final SpoolCounters counters = new SpoolCounters();
    private LmdbTables tables;

    @BeforeEach
    void open() throws Exception {
        tables = LmdbTables.open(new SpoolConfig(dir, 1024 * 1024, SyncMode.FULL, 64, 8));
    }

    @AfterEach
    void close() {
        tables.env().close();
    }

    @Test
    void writesQueuedTogetherShareOneCommit() throws Exception {
        writeTenQueuedBeforeStart(64);

        assertThat(counters.snapshot()).isEqualTo(new SpoolStats(10, 1, 0));
    }

    @Test
    void batchesAreCutAtMaxBatch() throws Exception {
        writeTenQueuedBeforeStart(4);

        assertThat(counters.snapshot()).isEqualTo(new SpoolStats(10, 3, 0));
    }

    @Test
    void mapFullInABatchStillCommitsTheWritesThatFit() throws Exception {
        fillUntilFull();
        SpoolCounters batchCounters = new SpoolCounters();
        SpoolWriter writer = new SpoolWriter(tables, 64, batchCounters, SpoolMetrics.unobserved(), new RecentMetadata(16));
        ByteBuf bigBody = TestMessages.buffer(TestMessages.bodyOfSize(512 * 1024, 1));
        CompletableFuture<Void> small1 = writer.submit(store(ids.next(), TestMessages.buffer(TestMessages.bodyOf("1"))));
        CompletableFuture<Void> big = writer.submit(store(ids.next(), bigBody));
        CompletableFuture<Void> small2 = writer.submit(store(ids.next(), TestMessages.buffer(TestMessages.bodyOf("2"))));

        writer.start();

        assertThat(big).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).withCauseInstanceOf(SpoolFull.class);
        assertThat(small1).succeedsWithin(WAIT);
        assertThat(small2).succeedsWithin(WAIT);
        assertThat(bigBody.refCnt()).isZero();
        assertThat(writer.finish(WAIT)).isTrue();
        // the batch aborted, then each write alone: two commits, one refusal
        assertThat(batchCounters.snapshot()).isEqualTo(new SpoolStats(2, 2, 1));
    }

    /** Queues ten small writes, then starts a writer with {@code maxBatch} and waits for them and its end. */
    private void writeTenQueuedBeforeStart(int maxBatch) throws Exception {
        SpoolWriter writer = new SpoolWriter(tables, maxBatch, counters, SpoolMetrics.unobserved(), new RecentMetadata(16));
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(writer.submit(store(ids.next(), TestMessages.buffer(TestMessages.bodyOf("m" + i)))));
        }

        writer.start();
        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        assertThat(writer.finish(WAIT)).isTrue();
    }

    /** Fills the 1 MiB map with 64 KiB bodies until one is refused, then frees two so small writes fit again. */
    private void fillUntilFull() throws Exception {
        SpoolWriter filler = new SpoolWriter(tables, 64, counters, SpoolMetrics.unobserved(), new RecentMetadata(16));
        filler.start();
        List<SpoolId> stored = new ArrayList<>();
        while (true) {
            SpoolId id = ids.next();
            CompletableFuture<Void> done = filler.submit(store(id, TestMessages.buffer(TestMessages.bodyOfSize(64 * 1024, stored.size()))));
            try {
                done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(SpoolFull.class);
                break;
            }
            stored.add(id);
            assertThat(stored).as("the 1 MiB map never filled up").hasSizeLessThan(64);
        }
        assertThat(filler.submit(new WriteOp.Remove(stored.get(0)))).succeedsWithin(WAIT);
        assertThat(filler.submit(new WriteOp.Remove(stored.get(1)))).succeedsWithin(WAIT);
        assertThat(filler.finish(WAIT)).isTrue();
    }

    private WriteOp.Store store(SpoolId id, ByteBuf body) {
        MessageMeta meta = TestMessages.minimalMeta(id);
        return new WriteOp.Store(meta, codec.encode(meta), body);
    }
}
