package io.runnel.kernel.spool;

import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.LogConfig;
import io.runnel.kernel.log.JournalDeliveries;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.queue.QueueManager;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, reads back every spooled message and puts each back in its scheduled queues with its attempt count and
 * due time: what was acknowledged before a crash or restart is delivered.
 *
 * <p>The scan runs on a thread of its own while the rest of the daemon starts, and delivery (which starts before
 * {@link RecoveryBarrier}) already works on what is back: with a million spooled messages the scan takes a while.
 * It covers the messages stored before it began; anything stored after (a DSN delivery writes) goes to its queues
 * the ordinary way and must not be queued twice.
 *
 * <p>Before it queues a message it applies the journal's newest Delivery records ({@link JournalDeliveries}): after
 * a crash between writing those records and committing the removal, the message leaves the spool (or those
 * recipients are marked delivered) instead of being sent again. What the journal does not prove is delivered.
 */
public final class SpoolRecovery implements Service {

    private static final Logger log = LoggerFactory.getLogger(SpoolRecovery.class);

    private final Spool spool;
    private final QueueManager queues;
    private final Path journal;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean stopping;
    private Thread scanner;

    @Inject
    public SpoolRecovery(Spool spool, QueueManager queues, LogConfig log) {
        this(spool, queues, log.path());
    }

    /** A recovery that applies the Delivery records of the journal in {@code journal}. */
    public SpoolRecovery(Spool spool, QueueManager queues, Path journal) {
        this.spool = spool;
        this.queues = queues;
        this.journal = journal;
    }

    @Override
    public int phase() {
        return Phases.RECOVERY;
    }

    @Override
    public String name() {
        return "spool-recovery";
    }

    @Override
    public void start() throws SpoolException {
        Optional<SpoolId> last = spool.lastId();
        if (last.isEmpty()) {
            log.atInfo().addKeyValue("messages", 0).addKeyValue("bytes", 0).addKeyValue("corrupt", 0).log("spool recovered");
            done.complete(null);
            return;
        }
        JournalDeliveries delivered = deliveredInJournal();
        scanner = new Thread(() -> scan(last.get(), delivered), "spool-recovery");
        scanner.setDaemon(true);
        scanner.start();
    }

    private JournalDeliveries deliveredInJournal() {
        try {
            return JournalDeliveries.read(journal, JournalDeliveries.TAIL_BYTES);
        } catch (IOException | RuntimeException e) {
            log.atWarn().addKeyValue("path", journal).setCause(e)
                    .log("journal unreadable at start; spooled messages are delivered without checking it for deliveries");
            return JournalDeliveries.none();
        }
    }

    private void scan(SpoolId last, JournalDeliveries delivered) {
        long started = System.nanoTime();
        AtomicLong messages = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        AtomicLong settled = new AtomicLong();
        try {
            spool.forEachThrough(last, meta -> {
                if (stopping) {
                    throw new CancelledScan();
                }
                messages.incrementAndGet();
                bytes.addAndGet(meta.bodySize());
                MessageMeta current = delivered.apply(meta);
                Optional<MessageMeta> queued = current == meta ? Optional.of(meta) : settle(meta, current);
                if (queued.isEmpty()) {
                    settled.incrementAndGet();
                    return;
                }
                queues.enqueue(queued.get()); // back in its queues with its attempt count and due time
            }, entry -> {
                bad.incrementAndGet();
                log.atError().addKeyValue("spool_id", entry.id()).log("unreadable spool entry left in place: {}", entry.getMessage());
            });
            log.atInfo().addKeyValue("messages", messages.get()).addKeyValue("bytes", bytes.get())
                    .addKeyValue("corrupt", bad.get()).addKeyValue("finished_by_journal", settled.get())
                    .addKeyValue("seconds", (System.nanoTime() - started) / 1_000_000_000.0)
                    .log("spool recovered");
            done.complete(null);
        } catch (SpoolException | RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    /**
     * Writes what the journal proved about {@code spooled}. None of its recipients pending any more: it is removed
     * (empty: nothing to queue; the scan does not wait for the removal to commit), and should the spool refuse
     * the removal, the message goes back to its queues and is sent again, as a crash may always cause. Otherwise the
     * recipients now delivered are saved before it is queued (delivery reads the state from the spool); should the
     * spool refuse that, they are sent to again.
     */
    private Optional<MessageMeta> settle(MessageMeta spooled, MessageMeta current) {
        if (current.finished()) {
            spool.remove(current.id()).whenComplete((done, failure) -> {
                if (failure != null) {
                    log.atWarn().addKeyValue("spool_id", current.id()).setCause(failure)
                            .log("could not remove a message the journal shows delivered; it is sent again");
                    queues.enqueue(spooled);
                }
            });
            log.atInfo().addKeyValue("spool_id", current.id()).log("delivered before the restart (journal): removed from the spool");
            return Optional.empty();
        }
        try {
            spool.updateMeta(current).get();
            log.atInfo().addKeyValue("spool_id", current.id())
                    .log("some recipients delivered before the restart (journal): not sent to again");
            return Optional.of(current);
        } catch (ExecutionException e) {
            log.atWarn().addKeyValue("spool_id", current.id()).setCause(e.getCause())
                    .log("could not save the recipients the journal shows delivered; they are sent to again");
            return Optional.of(spooled);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledScan();
        }
    }

    /** Blocks until every message spooled at start is back in its queues; throws what ended the scan early. */
    void awaitRecovered() throws SpoolException {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpoolException.SpoolUnavailable("interrupted while the spool was recovered", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SpoolException s) {
                throw s;
            }
            throw new SpoolException.SpoolUnavailable("spool recovery failed", e.getCause());
        }
    }

    @Override
    public void stop(Duration grace) {
        stopping = true;
        if (scanner != null) {
            try {
                scanner.join(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends a scan the daemon no longer wants (it is stopping). */
    private static final class CancelledScan extends RuntimeException {
        CancelledScan() {
            super("spool recovery cancelled: the daemon is stopping", null, false, false);
        }
    }
}
