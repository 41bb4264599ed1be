package io.runnel.kernel.spool;

import io.runnel.kernel.boot.Service;
import io.runnel.kernel.queue.QueueManager;
import jakarta.inject.Inject;
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
 */
public final class SpoolRecovery implements Service {

    private static final Logger log = LoggerFactory.getLogger(SpoolRecovery.class);

    private final Spool spool;
    private final QueueManager queues;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean stopping;
    private Thread scanner;

    @Inject
    public SpoolRecovery(Spool spool, QueueManager queues) {
        this.spool = spool;
        this.queues = queues;
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
        scanner = new Thread(() -> scan(last.get()), "spool-recovery");
        scanner.setDaemon(true);
        scanner.start();
    }

    private void scan(SpoolId last) {
        long started = System.nanoTime();
        AtomicLong messages = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        try {
            spool.forEachThrough(last, meta -> {
                if (stopping) {
                    throw new CancelledScan();
                }
                messages.incrementAndGet();
                bytes.addAndGet(meta.bodySize());
                queues.enqueue(meta); // back in its queues with its attempt count and due time
            }, entry -> {
                bad.incrementAndGet();
                log.atError().addKeyValue("spool_id", entry.id()).log("unreadable spool entry left in place: {}", entry.getMessage());
            });
            log.atInfo().addKeyValue("messages", messages.get()).addKeyValue("bytes", bytes.get())
                    .addKeyValue("corrupt", bad.get()).addKeyValue("seconds", (System.nanoTime() - started) / 1_000_000_000.0)
                    .log("spool recovered");
            done.complete(null);
        } catch (SpoolException | RuntimeException e) {
            done.completeExceptionally(e);
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
