package io.runnel.kernel.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.api.log.LogEvent.Type;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.config.LogConfig;
import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.config.SpoolConfig.SyncMode;
import io.runnel.kernel.log.DeliveryLog;
import io.runnel.kernel.log.LogRecord;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.queue.Suspensions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up scan on its own thread, the barrier that waits for it, the limit of what it reads, and the journal's
 * Delivery records it applies.
 */
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
        SpoolRecovery recovery = new SpoolRecovery(spool, queues, dir.resolve("log"));
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
        SpoolRecovery recovery = new SpoolRecovery(spool, queues, dir.resolve("log"));
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

    @Test
    void aMessageWhoseDeliveryRecordsReachedTheJournalLeavesTheSpoolInsteadOfBeingSentAgain() throws Exception {
        spool = started();
        MessageMeta delivered = store(TestMessages.minimalMeta(ids.next()));
        MessageMeta pending = store(TestMessages.minimalMeta(ids.next()));
        journal(delivered, delivered.recipients().get(0).address(), Type.DELIVERY);
        journal(pending, pending.recipients().get(0).address(), Type.TRANSIENT_FAILURE); // proves no delivery

        SpoolRecovery recovery = new SpoolRecovery(spool, queues, dir.resolve("log"));
        recovery.start();
        new RecoveryBarrier(recovery).start(); // the crash came after the records, before the removal commit

        // the scan does not wait for the removal to commit
        await().atMost(WAIT).until(() -> spool.loadMeta(delivered.id()).isEmpty());
        assertThat(spool.loadMeta(pending.id())).isPresent();
        assertThat(queues.sizes()).containsExactly(Map.entry(new QueueName(Optional.empty(), Optional.empty(), "example.net"), 1));
    }

    @Test
    void recipientsTheJournalShowsDeliveredAreSavedAsDeliveredAndTheOthersStillGo() throws Exception {
        spool = started();
        EmailAddress done = EmailAddress.parse("done@example.org");
        EmailAddress open = EmailAddress.parse("open@example.com");
        MessageMeta meta = store(TestMessages.minimalMeta(ids.next()).withRecipients(List.of(
                Recipient.pending(done, Set.of(), Optional.empty()), Recipient.pending(open, Set.of(), Optional.empty()))));
        journal(meta, done, Type.DELIVERY);

        SpoolRecovery recovery = new SpoolRecovery(spool, queues, dir.resolve("log"));
        recovery.start();
        new RecoveryBarrier(recovery).start();

        assertThat(spool.loadMeta(meta.id())).hasValueSatisfying(saved -> assertThat(saved.recipients())
                .extracting(Recipient::state).containsExactly(RecipientState.DELIVERED, RecipientState.PENDING));
        assertThat(queues.sizes()).containsOnlyKeys(new QueueName(Optional.empty(), Optional.empty(), "example.com"));
    }

    private MessageMeta store(MessageMeta meta) {
        assertThat(spool.store(meta, TestMessages.buffer(TestMessages.bodyOf(meta.id().toString())))).succeedsWithin(WAIT);
        return meta;
    }

    /** Writes one record about {@code meta} to the journal with the daemon's own writer. */
    private void journal(MessageMeta meta, EmailAddress recipient, Type type) throws Exception {
        DeliveryLog log = new DeliveryLog(new LogConfig(dir.resolve("log"), 1 << 20, Duration.ofHours(1)), Clock.systemUTC());
        log.start();
        log.appendFinal(LogRecord.outcome(type, meta, recipient, "example.net", "mx.example.net",
                new LogRecord.Response(type == Type.DELIVERY ? 250 : 451, Optional.empty(), "test", Optional.empty()),
                Optional.empty(), Optional.empty(), Instant.now()));
        assertThat(log.whenWritten()).succeedsWithin(WAIT);
        log.stop(WAIT);
    }

    private LmdbSpool started() throws Exception {
        LmdbSpool opened = new LmdbSpool(new SpoolConfig(dir, 64L * 1024 * 1024, SyncMode.NONE, 64, 126));
        opened.start();
        return opened;
    }
}
