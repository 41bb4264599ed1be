package io.runnel.kernel.spool;

import io.runnel.kernel.boot.LogGate;
import io.runnel.kernel.metrics.SpoolMetrics;
import io.runnel.kernel.spool.SpoolException.SpoolFull;
import io.runnel.kernel.spool.SpoolException.SpoolUnavailable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbException;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to LMDB (LMDB allows one writer). It takes a write, drains whatever else is
 * already queued up to {@code maxBatch}, applies them all in one transaction and commits once: many messages,
 * one fsync. Futures complete after the commit, outside the transaction. No linger: a lone write commits at
 * once, batches form by themselves while a commit is in progress.
 *
 * <p>The queue is not bounded here: every write holds a caller waiting for its future, so the SMTP layer's
 * session limits bound it.
 */
final class SpoolWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SpoolWriter.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;

    private final LmdbTables tables;
    private final int maxBatch;
    private final SpoolCounters counters;
    private final SpoolMetrics metrics;
    private final RecentMetadata recent;
    private final BlockingQueue<WriteOp> queue = new LinkedBlockingQueue<>();
    private final ByteBuffer key = LmdbTables.newKeyBuffer();
    private final Thread thread;
    private final LogGate logGate = new LogGate(LOG_EVERY);

    SpoolWriter(LmdbTables tables, int maxBatch, SpoolCounters counters, SpoolMetrics metrics, RecentMetadata recent) {
        this.tables = tables;
        this.maxBatch = maxBatch;
        this.counters = counters;
        this.metrics = metrics;
        this.recent = recent;
        this.thread = new Thread(this, "spool-writer");
    }

    void start() {
        thread.start();
    }

    /** Queues a write. The caller makes sure nothing is submitted after {@link #finish}. */
    CompletableFuture<Void> submit(WriteOp op) {
        queue.add(op);
        return op.done();
    }

    /** Lets the writer complete everything queued so far, then exit; waits at most {@code grace}. */
    boolean finish(Duration grace) throws InterruptedException {
        queue.add(new WriteOp.EndOfQueue());
        thread.join(Math.max(1, grace.toMillis()));
        return !thread.isAlive();
    }

    @Override
    public void run() {
        List<WriteOp> batch = new ArrayList<>(maxBatch);
        boolean ended = false;
        while (!ended) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // This thread belongs to the spool and only EndOfQueue stops it: exiting here would strand the
                // futures of queued writes, so the interrupt is consumed on purpose instead of restored.
                log.warn("spool writer interrupted; it keeps serving until the spool stops");
                continue;
            }
            queue.drainTo(batch, maxBatch - 1);
            ended = batch.removeIf(op -> op instanceof WriteOp.EndOfQueue);
            if (!batch.isEmpty()) {
                writeBatch(batch);
            }
            batch.clear();
        }
    }

    private void writeBatch(List<WriteOp> batch) {
        Map<WriteOp, RuntimeException> refused;
        try {
            refused = commit(batch);
        } catch (LmdbException e) {
            Optional<SpoolFull> full = full(e);
            if (full.isPresent() && batch.size() > 1) {
                retryOneByOne(batch);
                return;
            }
            refuse(batch, full.isPresent() ? full.get() : new SpoolUnavailable("LMDB write failed", e), e);
            return;
        } catch (RuntimeException e) {
            // a bug (e.g. a body released by its caller); refuse this batch, keep serving the next
            log.error("unexpected error in spool write; {} writes refused", batch.size(), e);
            failAll(batch, new SpoolUnavailable("spool write failed", e));
            return;
        }
        completeCommitted(batch, refused);
    }

    /** After a full map or disk: each write alone, so the ones that fit (removals, small updates) still commit. */
    private void retryOneByOne(List<WriteOp> batch) {
        for (WriteOp op : batch) {
            List<WriteOp> single = List.of(op);
            Map<WriteOp, RuntimeException> refused;
            try {
                refused = commit(single);
            } catch (LmdbException e) {
                refuse(single, full(e).map(SpoolException.class::cast).orElseGet(() -> new SpoolUnavailable("LMDB write failed", e)), e);
                continue;
            } catch (RuntimeException e) {
                log.error("unexpected error in spool write; write refused", e);
                failAll(single, new SpoolUnavailable("spool write failed", e));
                continue;
            }
            completeCommitted(single, refused);
        }
    }

    /**
     * The map is full (MDB_MAP_FULL) or the file system under it is (ENOSPC, EDQUOT while LMDB writes pages):
     * both pass once messages leave or space returns, and the client hears 452 4.3.1. A failed commit aborts
     * its transaction and leaves the environment usable (no MDB_WRITEMAP, so nothing is half-written in the map).
     */
    private static Optional<SpoolFull> full(LmdbException e) {
        if (e instanceof Env.MapFullException) {
            return Optional.of(new SpoolFull("LMDB map is full", e));
        }
        if (e instanceof LmdbNativeException n && (n.getResultCode() == ENOSPC || n.getResultCode() == EDQUOT)) {
            return Optional.of(new SpoolFull("file system under the spool is full", e));
        }
        return Optional.empty();
    }

    /** Fails {@code ops}, logging the cause at most once per {@link #LOG_EVERY}: a full spool fails every write. */
    private void refuse(List<WriteOp> ops, SpoolException cause, LmdbException error) {
        long held = logGate.pass();
        if (held >= 0) {
            log.atError().addKeyValue("writes", ops.size()).addKeyValue("similar_not_logged", held).setCause(error)
                    .log(cause instanceof SpoolFull ? "spool full; writes refused until space returns"
                            : "spool write transaction failed; writes refused");
        }
        failAll(ops, cause);
    }

    /**
     * Applies {@code ops} in one write transaction and commits it. Returns the ops that refused themselves
     * before writing anything; any other exception aborts the whole transaction. Completes no future.
     */
    private Map<WriteOp, RuntimeException> commit(List<WriteOp> ops) {
        Map<WriteOp, RuntimeException> refused = new IdentityHashMap<>(0);
        long started = System.nanoTime();
        try (Txn<ByteBuffer> txn = tables.env().txnWrite()) {
            for (WriteOp op : ops) {
                try {
                    op.apply(tables, txn, key);
                } catch (IllegalStateException e) {
                    refused.put(op, e);
                }
            }
            txn.commit();
        } finally {
            metrics.commit(ops.size(), System.nanoTime() - started);
        }
        return refused;
    }

    /** Runs after a successful commit, outside the transaction. */
    private void completeCommitted(List<WriteOp> ops, Map<WriteOp, RuntimeException> refused) {
        int newMessages = 0;
        for (WriteOp op : ops) {
            if (!refused.containsKey(op) && op.storesNewMessage()) {
                newMessages++;
            }
        }
        counters.committed(newMessages);
        counters.failed(refused.size());
        for (WriteOp op : ops) {
            RuntimeException refusal = refused.get(op);
            if (refusal == null) {
                op.committed(recent);
                op.succeed();
            } else {
                op.fail(refusal);
            }
        }
    }

    private void failAll(List<WriteOp> ops, SpoolException cause) {
        counters.failed(ops.size());
        for (WriteOp op : ops) {
            op.fail(cause);
        }
    }
}
