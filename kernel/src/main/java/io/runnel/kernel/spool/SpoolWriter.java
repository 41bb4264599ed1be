package io.runnel.kernel.spool;

import io.runnel.kernel.metrics.SpoolMetrics;
import io.runnel.kernel.spool.SpoolException.SpoolFull;
import io.runnel.kernel.spool.SpoolException.SpoolUnavailable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.lmdbjava.Env;
import org.lmdbjava.LmdbException;
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

    private final LmdbTables tables;
    private final int maxBatch;
    private final SpoolCounters counters;
    private final SpoolMetrics metrics;
    private final RecentMetadata recent;
    private final BlockingQueue<WriteOp> queue = new LinkedBlockingQueue<>();
    private final ByteBuffer key = LmdbTables.newKeyBuffer();
    private final Thread thread;

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
        } catch (Env.MapFullException e) {
            if (batch.size() > 1) {
                retryOneByOne(batch);
                return;
            }
            failAll(batch, new SpoolFull("LMDB map is full", e));
            return;
        } catch (LmdbException e) {
            log.error("spool write transaction failed; {} writes refused", batch.size(), e);
            failAll(batch, new SpoolUnavailable("LMDB write failed", e));
            return;
        } catch (RuntimeException e) {
            // a bug (e.g. a body released by its caller); refuse this batch, keep serving the next
            log.error("unexpected error in spool write; {} writes refused", batch.size(), e);
            failAll(batch, new SpoolUnavailable("spool write failed", e));
            return;
        }
        completeCommitted(batch, refused);
    }

    /** After MDB_MAP_FULL: each write alone, so the ones that fit still commit. */
    private void retryOneByOne(List<WriteOp> batch) {
        for (WriteOp op : batch) {
            List<WriteOp> single = List.of(op);
            Map<WriteOp, RuntimeException> refused;
            try {
                refused = commit(single);
            } catch (Env.MapFullException e) {
                failAll(single, new SpoolFull("LMDB map is full", e));
                continue;
            } catch (RuntimeException e) {
                log.error("spool write transaction failed; write refused", e);
                failAll(single, new SpoolUnavailable("LMDB write failed", e));
                continue;
            }
            completeCommitted(single, refused);
        }
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
