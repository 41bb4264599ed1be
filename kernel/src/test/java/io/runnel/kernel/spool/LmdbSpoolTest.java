package io.runnel.kernel.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.config.SpoolConfig.SyncMode;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.spool.SpoolException.CorruptEntry;
import io.runnel.kernel.spool.SpoolException.SpoolFull;
import io.runnel.kernel.spool.SpoolException.SpoolUnavailable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

class LmdbSpoolTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private final SpoolId.Factory ids = TestMessages.ids();
    private final List<LmdbSpool> opened = new ArrayList<>();

    @AfterEach
    void stopSpools() {
        opened.forEach(spool -> spool.stop(WAIT));
    }

    @Test
    void storedMessageReadsBackByteExact() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        byte[] body = TestMessages.awkwardBody();
        ByteBuf buf = TestMessages.buffer(body);

        assertThat(spool.store(meta, buf)).succeedsWithin(WAIT);

        assertThat(spool.loadMeta(meta.id())).contains(meta);
        assertThat(spool.loadBody(meta.id())).hasValueSatisfying(read -> assertThat(read).isEqualTo(body));
        assertThat(buf.refCnt()).isZero();
        assertThat(spool.stats().messagesStored()).isEqualTo(1);
    }

    @Test
    void metadataOlderThanTheRecentWritesIsDecodedFromDiskUnchanged() throws Exception {
        LmdbSpool spool = start(config(256 * MIB));
        MessageMeta first = TestMessages.fullMeta(ids.next());
        MessageMeta updated = first.withDue(first.dueAt().plusSeconds(60));
        assertThat(spool.store(first, TestMessages.buffer(TestMessages.bodyOf("first")))).succeedsWithin(WAIT);
        assertThat(spool.updateMeta(updated)).succeedsWithin(WAIT);
        List<CompletableFuture<Void>> later = new ArrayList<>();
        for (int i = 0; i < LmdbSpool.RECENT_METADATA; i++) {
            later.add(spool.store(TestMessages.minimalMeta(ids.next()), TestMessages.buffer(TestMessages.bodyOf("x"))));
        }
        assertThat(CompletableFuture.allOf(later.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);

        assertThat(spool.loadMeta(first.id())).contains(updated);
    }

    @Test
    void unknownIdLoadsAsEmpty() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        assertThat(spool.loadMeta(ids.next())).isEmpty();
        assertThat(spool.loadBody(ids.next())).isEmpty();
    }

    @Test
    void concurrentStoresShareCommits() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        int threads = 16;
        int perThread = 50;
        Map<SpoolId, byte[]> bodies = Collections.synchronizedMap(new HashMap<>());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    go.await();
                    List<CompletableFuture<Void>> futures = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        SpoolId id = ids.next();
                        byte[] body = TestMessages.bodyOf("message " + thread + "-" + i);
                        bodies.put(id, body);
                        futures.add(spool.store(TestMessages.minimalMeta(id), TestMessages.buffer(body)));
                    }
                    return futures;
                }));
            }
            go.countDown();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (Future<List<CompletableFuture<Void>>> f : submitted) {
                all.addAll(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            assertThat(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        } finally {
            pool.shutdownNow();
        }

        SpoolStats stats = spool.stats();
        assertThat(stats.messagesStored()).isEqualTo(threads * perThread);
        assertThat(stats.messagesPerCommit()).isGreaterThan(1.0);
        assertThat(stats.writesFailed()).isZero();
        assertThat(bodies).hasSize(threads * perThread);
        for (Map.Entry<SpoolId, byte[]> entry : bodies.entrySet()) {
            assertThat(spool.loadBody(entry.getKey())).hasValueSatisfying(read -> assertThat(read).isEqualTo(entry.getValue()));
            assertThat(spool.loadMeta(entry.getKey())).hasValueSatisfying(m -> assertThat(m.id()).isEqualTo(entry.getKey()));
        }
    }

    @Test
    void updateMetaLeavesBodyUntouched() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        byte[] body = TestMessages.awkwardBody();
        assertThat(spool.store(meta, TestMessages.buffer(body))).succeedsWithin(WAIT);

        MessageMeta updated = new MessageMeta(meta.id(), meta.receivedAt(), meta.sender(),
                List.of(meta.recipients().get(0),
                        new Recipient(meta.recipients().get(2).address(), meta.recipients().get(2).notifyOn(),
                                Optional.empty(), Recipient.RecipientState.DELIVERED)),
                meta.parameters(), meta.reception(), meta.tenant(), Optional.empty(),
                meta.attempts() + 1, meta.dueAt().plusSeconds(3600), meta.bodySize(), Optional.empty());
        assertThat(spool.updateMeta(updated)).succeedsWithin(WAIT);

        assertThat(spool.loadMeta(meta.id())).contains(updated);
        assertThat(spool.loadBody(meta.id())).hasValueSatisfying(read -> assertThat(read).isEqualTo(body));
        assertThat(spool.stats().messagesStored()).isEqualTo(1);
    }

    @Test
    void updateMetaOfARemovedMessageWritesNothing() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        MessageMeta meta = TestMessages.minimalMeta(ids.next());

        assertThat(spool.updateMeta(meta)).succeedsWithin(WAIT);

        assertThat(spool.loadMeta(meta.id())).isEmpty();
        List<CorruptEntry> corrupt = new ArrayList<>();
        spool.forEach(m -> { }, corrupt::add);
        assertThat(corrupt).isEmpty();
    }

    @Test
    void removeDeletesMetaAndBody() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        MessageMeta gone = TestMessages.minimalMeta(ids.next());
        MessageMeta kept = TestMessages.fullMeta(ids.next());
        assertThat(spool.store(gone, TestMessages.buffer(TestMessages.bodyOf("gone")))).succeedsWithin(WAIT);
        assertThat(spool.store(kept, TestMessages.buffer(TestMessages.bodyOf("kept")))).succeedsWithin(WAIT);

        assertThat(spool.remove(gone.id())).succeedsWithin(WAIT);

        assertThat(spool.loadMeta(gone.id())).isEmpty();
        assertThat(spool.loadBody(gone.id())).isEmpty();
        assertThat(spool.loadMeta(kept.id())).contains(kept);
        assertThat(spool.loadBody(kept.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(TestMessages.bodyOf("kept")));
        assertThat(scan(spool)).containsExactly(kept);
    }

    @Test
    void removeOfUnknownIdSucceeds() {
        LmdbSpool spool = start(config(64 * MIB));

        assertThat(spool.remove(ids.next())).succeedsWithin(WAIT);

        assertThat(spool.stats().writesFailed()).isZero();
        assertThat(spool.stats().commits()).isEqualTo(1);
    }

    @Test
    void storingAnIdTwiceFailsAndKeepsTheFirstMessage() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        assertThat(spool.store(meta, TestMessages.buffer(TestMessages.bodyOf("first")))).succeedsWithin(WAIT);
        ByteBuf second = TestMessages.buffer(TestMessages.bodyOf("second"));

        assertThat(spool.store(TestMessages.minimalMeta(meta.id()), second)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(IllegalStateException.class);

        assertThat(second.refCnt()).isZero();
        assertThat(spool.loadMeta(meta.id())).contains(meta);
        assertThat(spool.loadBody(meta.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(TestMessages.bodyOf("first")));
    }

    @Test
    void spoolFullRefusesWithSpoolFullAndKeepsServing() throws Exception {
        LmdbSpool spool = start(config(MIB));
        List<SpoolId> stored = fillUntilFull(spool, 64 * 1024);
        long failedBefore = spool.stats().writesFailed();
        assertThat(failedBefore).isEqualTo(1);

        for (SpoolId id : stored.subList(0, 3)) {
            assertThat(spool.remove(id)).succeedsWithin(WAIT);
        }
        MessageMeta again = TestMessages.minimalMeta(ids.next());
        byte[] body = TestMessages.bodyOfSize(64 * 1024, 99);
        assertThat(spool.store(again, TestMessages.buffer(body))).succeedsWithin(WAIT);

        assertThat(spool.loadBody(again.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(body));
        assertThat(spool.loadBody(stored.get(3))).isPresent();
        assertThat(spool.stats().writesFailed()).isEqualTo(failedBefore);
    }

    @Test
    void mapFullFailsOnlyTheWritesThatDoNotFit() throws Exception {
        LmdbSpool spool = start(config(MIB));
        List<SpoolId> stored = fillUntilFull(spool, 64 * 1024);
        assertThat(spool.remove(stored.get(0))).succeedsWithin(WAIT);
        assertThat(spool.remove(stored.get(1))).succeedsWithin(WAIT);

        // queued back to back, so the writer usually gets them in one batch; the outcome must not depend on it
        MessageMeta big = TestMessages.minimalMeta(ids.next());
        MessageMeta small1 = TestMessages.minimalMeta(ids.next());
        MessageMeta small2 = TestMessages.minimalMeta(ids.next());
        ByteBuf bigBody = TestMessages.buffer(TestMessages.bodyOfSize(512 * 1024, 1));
        CompletableFuture<Void> first = spool.store(small1, TestMessages.buffer(TestMessages.bodyOf("small 1")));
        CompletableFuture<Void> tooBig = spool.store(big, bigBody);
        CompletableFuture<Void> second = spool.store(small2, TestMessages.buffer(TestMessages.bodyOf("small 2")));

        assertThat(tooBig).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).withCauseInstanceOf(SpoolFull.class);
        assertThat(first).succeedsWithin(WAIT);
        assertThat(second).succeedsWithin(WAIT);
        assertThat(bigBody.refCnt()).isZero();
        assertThat(spool.loadMeta(big.id())).isEmpty();
        assertThat(spool.loadBody(small1.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(TestMessages.bodyOf("small 1")));
        assertThat(spool.loadBody(small2.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(TestMessages.bodyOf("small 2")));
    }

    @Test
    void messagesSurviveReopen() throws Exception {
        SpoolConfig config = config(64 * MIB);
        LmdbSpool first = start(config);
        List<MessageMeta> metas = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            metas.add(i % 2 == 0 ? TestMessages.fullMeta(ids.next()) : TestMessages.minimalMeta(ids.next()));
        }
        List<MessageMeta> arrival = new ArrayList<>(metas);
        Collections.shuffle(arrival, new Random(5)); // stored out of id order; forEach must still give id order
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (MessageMeta meta : arrival) {
            futures.add(first.store(meta, TestMessages.buffer(TestMessages.bodyOf(meta.id().toString()))));
        }
        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        first.stop(WAIT);

        LmdbSpool second = start(config);
        List<MessageMeta> seen = scan(second);

        assertThat(seen).containsExactlyElementsOf(metas);
        for (MessageMeta meta : metas) {
            assertThat(second.loadBody(meta.id()))
                    .hasValueSatisfying(b -> assertThat(b).isEqualTo(TestMessages.bodyOf(meta.id().toString())));
        }
    }

    @Test
    void forEachReadsPastOnePage() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        int count = LmdbSpool.SCAN_PAGE * 2 + 1;
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        List<SpoolId> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SpoolId id = ids.next();
            expected.add(id);
            futures.add(spool.store(TestMessages.minimalMeta(id), TestMessages.buffer(TestMessages.bodyOf("m"))));
        }
        assertThat(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);

        assertThat(scan(spool)).extracting(MessageMeta::id).containsExactlyElementsOf(expected);
    }

    @Test
    void corruptMetaIsReportedAndSkipped() throws Exception {
        SpoolConfig config = config(64 * MIB);
        LmdbSpool first = start(config);
        MessageMeta before = TestMessages.fullMeta(ids.next());
        SpoolId garbage = ids.next();
        SpoolId bodiless = ids.next();
        MessageMeta after = TestMessages.minimalMeta(ids.next());
        assertThat(first.store(before, TestMessages.buffer(TestMessages.bodyOf("before")))).succeedsWithin(WAIT);
        assertThat(first.store(after, TestMessages.buffer(TestMessages.bodyOf("after")))).succeedsWithin(WAIT);
        first.stop(WAIT);

        try (Env<ByteBuffer> env = Env.create().setMapSize(config.mapSize()).setMaxDbs(2).open(dir.toFile())) {
            Dbi<ByteBuffer> meta = env.openDbi("meta");
            Dbi<ByteBuffer> data = env.openDbi("data");
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                meta.put(txn, key(garbage), direct(new byte[] {'{', 0, (byte) 0xFE}));
                data.put(txn, key(garbage), direct(TestMessages.bodyOf("garbage")));
                meta.put(txn, key(bodiless), direct(new MessageMetaCodec().encode(TestMessages.minimalMeta(bodiless))));
                txn.commit();
            }
        }

        LmdbSpool second = start(config);
        List<MessageMeta> found = new ArrayList<>();
        List<CorruptEntry> corrupt = new ArrayList<>();
        second.forEach(found::add, corrupt::add);

        assertThat(found).containsExactly(before, after);
        assertThat(corrupt).extracting(CorruptEntry::id).containsExactly(garbage, bodiless);
        assertThatThrownBy(() -> second.loadMeta(garbage)).isInstanceOf(CorruptEntry.class);
    }

    @Test
    void storeAfterStopFailsWithSpoolUnavailableAndReleasesBody() throws Exception {
        LmdbSpool spool = start(config(64 * MIB));
        spool.stop(WAIT);
        ByteBuf body = TestMessages.buffer(TestMessages.bodyOf("late"));

        CompletableFuture<Void> late = spool.store(TestMessages.minimalMeta(ids.next()), body);

        assertThat(late).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(SpoolUnavailable.class);
        assertThat(body.refCnt()).isZero();
        assertThat(spool.remove(ids.next())).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(SpoolUnavailable.class);
        assertThatThrownBy(() -> spool.loadMeta(ids.next())).isInstanceOf(SpoolUnavailable.class);
    }

    @Test
    void storeBeforeStartFailsWithSpoolUnavailableAndReleasesBody() {
        LmdbSpool spool = new LmdbSpool(config(64 * MIB));
        ByteBuf body = TestMessages.buffer(TestMessages.bodyOf("early"));

        assertThat(spool.store(TestMessages.minimalMeta(ids.next()), body)).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(SpoolUnavailable.class);
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void stopCompletesQueuedWritesFirst() throws Exception {
        SpoolConfig config = config(64 * MIB);
        LmdbSpool spool = start(config);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            futures.add(spool.store(TestMessages.minimalMeta(ids.next()), TestMessages.buffer(TestMessages.bodyOf("q" + i))));
        }

        spool.stop(WAIT);

        assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(spool.stats().messagesStored()).isEqualTo(300);
        assertThat(scan(start(config))).hasSize(300);
    }

    private List<SpoolId> fillUntilFull(LmdbSpool spool, int bodySize) {
        List<SpoolId> stored = new ArrayList<>();
        for (int i = 0; i < 64; i++) { // 64 x 64 KiB is four times the 1 MiB map
            MessageMeta meta = TestMessages.minimalMeta(ids.next());
            ByteBuf body = TestMessages.buffer(TestMessages.bodyOfSize(bodySize, i));
            Optional<Throwable> failure = outcome(spool.store(meta, body));
            assertThat(body.refCnt()).isZero();
            if (failure.isPresent()) {
                assertThat(failure.get()).isInstanceOf(SpoolFull.class);
                assertThat(stored).isNotEmpty();
                return stored;
            }
            stored.add(meta.id());
        }
        throw new AssertionError("the 1 MiB spool never filled up");
    }

    private static Optional<Throwable> outcome(CompletableFuture<Void> future) {
        try {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return Optional.empty();
        } catch (ExecutionException | CompletionException e) {
            return Optional.of(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<MessageMeta> scan(LmdbSpool spool) throws SpoolException {
        List<MessageMeta> found = new ArrayList<>();
        List<CorruptEntry> corrupt = new ArrayList<>();
        spool.forEach(found::add, corrupt::add);
        assertThat(corrupt).isEmpty();
        return found;
    }

    private LmdbSpool start(SpoolConfig config) {
        LmdbSpool spool = new LmdbSpool(config);
        opened.add(spool);
        try {
            spool.start();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return spool;
    }

    private SpoolConfig config(long mapSize) {
        return new SpoolConfig(dir, mapSize, SyncMode.FULL, 64, 126);
    }

    private static ByteBuffer key(SpoolId id) {
        return id.writeKey(ByteBuffer.allocateDirect(SpoolId.KEY_BYTES));
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
