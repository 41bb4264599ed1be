package io.runnel.kernel.spool;

import io.netty.buffer.ByteBuf;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.metrics.SpoolMetrics;
import io.runnel.kernel.spool.SpoolException.CorruptEntry;
import io.runnel.kernel.spool.SpoolException.SpoolUnavailable;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Stat;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool on LMDB: one writer thread with group commit ({@link SpoolWriter}), short read transactions on the
 * caller's thread ({@link SpoolReader}).
 *
 * <p>Beyond {@link Spool}: storing an id that is already stored is a bug and fails with
 * {@link IllegalStateException} without touching the stored message; {@link #updateMeta} of a message that is no
 * longer stored writes nothing and completes normally.
 *
 * <p>The lifecycle lock keeps the environment open while a read or a submit is in progress: {@link #stop} takes
 * it exclusively to refuse new writes and, once the writer has drained, to close the environment.
 */
public final class LmdbSpool implements Spool, Service {
    private static final Logger log = LoggerFactory.getLogger(LmdbSpool.class);

    /**
     * forEach reads this many entries per read transaction. One transaction over a large spool would pin every
     * page freed meanwhile (the map can fill up during recovery) and would hold a reader slot while the consumer
     * runs; pages keep each transaction short and the consumer outside it.
     */
    static final int SCAN_PAGE = 2_000;
    /** LMDB's two meta pages, at the start of every map. */
    private static final int META_PAGES = 2;

    /**
     * Decoded metadata kept for the most recent writes: enough to cover the time from reception to the first
     * attempt, and from an attempt's update to the next read, at thousands of messages per second (a few MiB).
     */
    static final int RECENT_METADATA = 8_192;

    private final SpoolConfig config;
    private final SpoolMetrics metrics;
    private final MessageMetaCodec codec = new MessageMetaCodec();
    private final SpoolCounters counters = new SpoolCounters();
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final RecentMetadata recent = new RecentMetadata(RECENT_METADATA);

    // guarded by lifecycle
    private State state = State.NEW;
    private LmdbTables tables;
    private SpoolWriter writer;
    private SpoolReader reader;

    /** A spool opened outside the daemon (the spool commands, tests): its commits are not measured. */
    public LmdbSpool(SpoolConfig config) {
        this(config, SpoolMetrics.unobserved());
    }

    @Inject
    public LmdbSpool(SpoolConfig config, SpoolMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public int phase() {
        return Phases.SPOOL;
    }

    @Override
    public String name() {
        return "spool";
    }

    @Override
    public void start() throws Exception {
        lifecycle.writeLock().lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("spool already started");
            }
            tables = LmdbTables.open(config);
            reader = new SpoolReader(tables, codec);
            writer = new SpoolWriter(tables, config.maxBatch(), counters, metrics, recent);
            writer.start();
            state = State.RUNNING;
        } finally {
            lifecycle.writeLock().unlock();
        }
        log.info("spool opened at {} (map size {} bytes, sync {}, max batch {})",
                config.path(), config.mapSize(), config.sync(), config.maxBatch());
    }

    @Override
    public void stop(Duration grace) {
        lifecycle.writeLock().lock();
        try {
            if (state == State.NEW) {
                state = State.STOPPED;
            }
            if (state != State.RUNNING) {
                return; // never started, already stopped, or another stop() is draining
            }
            state = State.STOPPING; // refuses new writes; reads go on until the environment closes
        } finally {
            lifecycle.writeLock().unlock();
        }
        try {
            if (!writer.finish(grace)) {
                // closing the environment under a running transaction would crash the JVM; leave it open
                log.warn("spool writer still busy after {}; the LMDB environment is left open", grace);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while the spool writer drained; the LMDB environment is left open");
            return;
        }
        lifecycle.writeLock().lock();
        try {
            state = State.STOPPED;
            tables.env().close();
        } catch (LmdbException e) {
            log.error("closing the LMDB environment failed", e);
        } finally {
            lifecycle.writeLock().unlock();
        }
        SpoolStats stats = counters.snapshot();
        log.info("spool closed: {} messages stored in {} commits ({} messages per commit), {} writes failed",
                stats.messagesStored(), stats.commits(), String.format("%.2f", stats.messagesPerCommit()),
                stats.writesFailed());
    }

    @Override
    public CompletableFuture<Void> store(MessageMeta meta, ByteBuf body) {
        Objects.requireNonNull(body, "body");
        boolean release = true;
        try {
            WriteOp op = new WriteOp.Store(meta, codec.encode(meta), body);
            release = false; // the op owns the body now and releases it when it completes, whichever way
            return submit(op);
        } finally {
            if (release) {
                body.release();
            }
        }
    }

    @Override
    public CompletableFuture<Void> updateMeta(MessageMeta meta) {
        return submit(new WriteOp.UpdateMeta(meta, codec.encode(meta)));
    }

    @Override
    public CompletableFuture<Void> remove(SpoolId id) {
        return submit(new WriteOp.Remove(id));
    }

    private CompletableFuture<Void> submit(WriteOp op) {
        lifecycle.readLock().lock();
        try {
            if (state == State.RUNNING) {
                return writer.submit(op);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        op.fail(new SpoolUnavailable("spool is not running", null));
        return op.done();
    }

    @Override
    public Optional<MessageMeta> loadMeta(SpoolId id) throws SpoolException {
        lifecycle.readLock().lock();
        try {
            SpoolReader open = openReader();
            Optional<MessageMeta> decoded = recent.get(id);
            return decoded.isPresent() ? decoded : open.loadMeta(id);
        } catch (LmdbException e) {
            throw new SpoolUnavailable("LMDB read failed", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public Optional<byte[]> loadBody(SpoolId id) throws SpoolException {
        lifecycle.readLock().lock();
        try {
            return openReader().loadBody(id);
        } catch (LmdbException e) {
            throw new SpoolUnavailable("LMDB read failed", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void forEach(Consumer<MessageMeta> consumer, Consumer<CorruptEntry> corrupt) throws SpoolException {
        scan(Optional.empty(), consumer, corrupt);
    }

    @Override
    public void forEachThrough(SpoolId last, Consumer<MessageMeta> consumer, Consumer<CorruptEntry> corrupt)
            throws SpoolException {
        scan(Optional.of(last), consumer, corrupt);
    }

    private void scan(Optional<SpoolId> last, Consumer<MessageMeta> consumer, Consumer<CorruptEntry> corrupt)
            throws SpoolException {
        Optional<SpoolId> after = Optional.empty();
        while (true) {
            SpoolReader.Page page = page(after);
            for (SpoolReader.Entry entry : page.entries()) {
                SpoolId id = entry instanceof SpoolReader.Entry.Found found ? found.meta().id()
                        : ((SpoolReader.Entry.Corrupt) entry).error().id();
                if (last.isPresent() && id.compareTo(last.get()) > 0) {
                    return;
                }
                if (entry instanceof SpoolReader.Entry.Found found) {
                    consumer.accept(found.meta());
                } else {
                    corrupt.accept(((SpoolReader.Entry.Corrupt) entry).error());
                }
            }
            if (page.entries().size() < SCAN_PAGE) {
                return;
            }
            after = page.lastKey();
        }
    }

    /**
     * A read transaction on the current snapshot, held by the caller as a long-running reader (a backup tool, a slow
     * scan) would be: LMDB cannot reuse a page freed after it began until it is closed. Tests fill the map for real
     * with it. Close it on the thread that opened it.
     */
    Txn<ByteBuffer> pinSnapshot() {
        return tables.env().txnRead();
    }

    @Override
    public Optional<SpoolId> lastId() throws SpoolException {
        lifecycle.readLock().lock();
        try {
            return openReader().lastId();
        } catch (LmdbException e) {
            throw new SpoolUnavailable("LMDB read failed", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** One page under the lock; the consumers run outside it and outside any transaction. */
    private SpoolReader.Page page(Optional<SpoolId> after) throws SpoolUnavailable {
        lifecycle.readLock().lock();
        try {
            return openReader().page(after, SCAN_PAGE);
        } catch (LmdbException e) {
            throw new SpoolUnavailable("LMDB read failed", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Call with the read lock held. */
    private SpoolReader openReader() throws SpoolUnavailable {
        if (state != State.RUNNING && state != State.STOPPING) {
            throw new SpoolUnavailable("spool is not open", null);
        }
        return reader;
    }

    @Override
    public SpoolStats stats() {
        return counters.snapshot();
    }

    /** Messages stored and space used, read in a short read transaction; empty while the spool is not open. */
    public Optional<SpoolUsage> usage() {
        lifecycle.readLock().lock();
        try {
            if (state != State.RUNNING && state != State.STOPPING) {
                return Optional.empty();
            }
            long messages;
            long livePages;
            try (Txn<ByteBuffer> txn = tables.env().txnRead()) {
                Stat meta = tables.meta().stat(txn);
                messages = meta.entries;
                livePages = pages(meta) + pages(tables.data().stat(txn));
            }
            Stat main = tables.env().stat();
            livePages += pages(main) + META_PAGES;
            long used = (tables.env().info().lastPageNumber + 1) * main.pageSize;
            return Optional.of(new SpoolUsage(messages, used, config.mapSize(), livePages * main.pageSize));
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static long pages(Stat stat) {
        return stat.branchPages + stat.leafPages + stat.overflowPages;
    }

    private enum State { NEW, RUNNING, STOPPING, STOPPED }
}
