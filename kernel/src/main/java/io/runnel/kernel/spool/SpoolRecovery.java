package io.runnel.kernel.spool;

import io.runnel.kernel.boot.Service;
import io.runnel.kernel.queue.QueueManager;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, reads back every spooled message before the listeners open and delivery begins, and puts each back
 * in its scheduled queues with its attempt count and due time: what was acknowledged before a crash or restart is
 * delivered.
 */
public final class SpoolRecovery implements Service {

    private static final Logger log = LoggerFactory.getLogger(SpoolRecovery.class);

    private final Spool spool;
    private final QueueManager queues;
    private long recovered;
    private long corrupt;

    @Inject
    public SpoolRecovery(Spool spool, QueueManager queues) {
        this.spool = spool;
        this.queues = queues;
    }

    /** Messages found at the last start. */
    public long recovered() {
        return recovered;
    }

    /** Entries found unreadable at the last start (reported and left in place). */
    public long corrupt() {
        return corrupt;
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
        AtomicLong messages = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        spool.forEach(meta -> {
            messages.incrementAndGet();
            bytes.addAndGet(meta.bodySize());
            queues.enqueue(meta); // back in its queues with its attempt count and due time
        }, entry -> {
            bad.incrementAndGet();
            log.atError().addKeyValue("spool_id", entry.id()).log("unreadable spool entry left in place: {}", entry.getMessage());
        });
        recovered = messages.get();
        corrupt = bad.get();
        log.atInfo().addKeyValue("messages", recovered).addKeyValue("bytes", bytes.get()).addKeyValue("corrupt", corrupt)
                .log("spool recovered");
    }

    @Override
    public void stop(Duration grace) {
        // nothing held
    }
}
