package io.runnel.kernel.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.config.SpoolConfig.SyncMode;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.queue.Suspensions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up scan on its own thread, the barrier that waits for it, and the limit of what it reads. */
class SpoolRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final SpoolId.Factory ids = TestMessages.ids();
    private final QueueManager queues = new QueueManager(Clock.systemUTC(),
            new Suspensions(Clock.systemUTC(), Path.of("target", "no-admin-rules"), RandomGenerator.of("L64X128MixRandom")));
    private LmdbSpool spool;

    @AfterEach
    void stop() {
        spool.stop(WAIT);
    }

    @Test
    void everySpooledMessageIsBackInItsQueueOnceTheBarrierPasses() throws Exception {
        spool = started();
        List<SpoolId> stored = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) { // several scan pages
            MessageMeta meta = TestMessages.minimalMeta(ids.next());
            assertThat(spool.store(meta, TestMessages.buffer(TestMessages.bodyOf("m" + i)))).succeedsWithin(WAIT);
            stored.add(meta.id());
        }
        SpoolRecovery recovery = new SpoolRecovery(spool, queues);
        recovery.start();
        new RecoveryBarrier(recovery).start();

        QueueName queue = new QueueName(Optional.empty(), Optional.empty(), "example.net");
        assertThat(queues.sizes()).containsEntry(queue, stored.size());
        assertThat(queues.takeFromAll(Set.of(queue), stored.get(2_499))).isTrue();
        recovery.stop(WAIT);
    }

    @Test
    void anEmptySpoolIsRecoveredAtOnce() throws Exception {
        spool = started();
        SpoolRecovery recovery = new SpoolRecovery(spool, queues);
        recovery.start();
        new RecoveryBarrier(recovery).start();
        assertThat(queues.sizes()).isEmpty();
    }

    @Test
    void aScanThroughAnIdLeavesLaterMessagesOut() throws Exception {
        spool = started();
        List<SpoolId> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            MessageMeta meta = TestMessages.minimalMeta(ids.next());
            assertThat(spool.store(meta, TestMessages.buffer(TestMessages.bodyOf("m" + i)))).succeedsWithin(WAIT);
            stored.add(meta.id());
        }
        assertThat(spool.lastId()).contains(stored.get(4));

        List<SpoolId> seen = new ArrayList<>();
        spool.forEachThrough(stored.get(2), meta -> seen.add(meta.id()), corrupt -> { });
        assertThat(seen).containsExactlyElementsOf(stored.subList(0, 3));
    }

    private LmdbSpool started() throws Exception {
        LmdbSpool opened = new LmdbSpool(new SpoolConfig(dir, 64L * 1024 * 1024, SyncMode.NONE, 64, 126));
        opened.start();
        return opened;
    }
}
