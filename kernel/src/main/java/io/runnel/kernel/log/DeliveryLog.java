package io.runnel.kernel.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.LogConfig;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's record of every message event, as JSON lines in segment files under {@code [log] path}.
 *
 * <p>Mail flow never waits for the log: {@link #append} only offers to a bounded queue, and one background thread
 * serialises and writes. A full queue ({@code [log] queue_capacity} records) drops the record and counts it
 * ({@link #dropped()}), with a warning at most once a minute. A record something waits for ({@link #appendFinal}:
 * a message's final outcome, which its removal from the spool waits for) is never dropped: beyond the queue it
 * waits in an overflow list, bounded by the messages in the spool. Sinks never slow it down: they read the journal
 * files afterwards ({@link LogShipping}). Written lines reach the OS at least once a second, and {@link #stop} writes
 * everything queued before it returns.
 *
 * <p>When the disk refuses a write (full), nothing is dropped: the writer keeps the unwritten records, stops taking
 * new ones (the queue fills meanwhile) and tries again every {@link #RETRY_MILLIS} ms, so {@link #whenWritten}
 * waiters, and the spool removals behind them, wait until the records are on disk.
 */
public final class DeliveryLog implements Service {
    private static final Logger log = LoggerFactory.getLogger(DeliveryLog.class);

    private static final long FLUSH_EVERY_MILLIS = 1000;
    private static final long WARN_EVERY_MILLIS = 60_000;
    /** How long the writer waits for a record before it looks at the stop flag and the flush deadline again. */
    private static final long POLL_MILLIS = 100;
    private static final int MAX_BATCH = 1024;
    /**
     * After the first record of a batch, how long the writer lets more gather before it writes: under load one write
     * and one wake-up then carry many records instead of one each (producers do not wake a writer that is not waiting
     * on the queue), and a record reaches the file at most this much later.
     */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long RETRY_MILLIS = 500;

    private final LogConfig config;
    private final Clock clock;
    private final JournalSignal signal;
    private final BlockingQueue<LogRecord> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextWarnAt = new AtomicLong(Long.MIN_VALUE);
    private final JsonFactory json = new JsonFactory();
    private final Thread writer = new Thread(this::run, "delivery-log-writer");
    private volatile boolean accepting;
    private volatile boolean stopping;
    /** Set by stop() when its grace ran out while writes were failing: the writer gives up then. */
    private volatile boolean abandoned;
    /** Final records that found the queue full, oldest first; while not empty every new record queues behind them. */
    private final ArrayDeque<LogRecord> overflow = new ArrayDeque<>(); // guarded by this
    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong nextFailureWarnAt = new AtomicLong(Long.MIN_VALUE);
    /** Records accepted so far, and records written (or given up on) and flushed: their order is the queue's. */
    private final AtomicLong accepted = new AtomicLong();
    private volatile long settled;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private record Waiter(long upTo, CompletableFuture<Void> done) {
    }

    @Inject
    public DeliveryLog(LogConfig config, Clock clock, JournalSignal signal) {
        this(config, clock, signal, config.queueCapacity());
    }

    public DeliveryLog(LogConfig config, Clock clock) {
        this(config, clock, new JournalSignal());
    }

    DeliveryLog(LogConfig config, Clock clock, int capacity) {
        this(config, clock, new JournalSignal(), capacity);
    }

    private DeliveryLog(LogConfig config, Clock clock, JournalSignal signal, int capacity) {
        this.config = config;
        this.clock = clock;
        this.signal = signal;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public int phase() {
        return Phases.LOG;
    }

    @Override
    public String name() {
        return "delivery-log";
    }

    @Override
    public void start() throws IOException {
        Files.createDirectories(config.path());
        accepting = true;
        writer.start();
    }

    /**
     * Queues a record; never blocks. Returns false when the record was dropped because the queue is full or the
     * log is not running. Safe for concurrent use.
     */
    public boolean append(LogRecord record) {
        return offer(record, false);
    }

    /**
     * Queues a record that {@link #whenWritten} will be waited for; never blocks and, while the log runs, never
     * drops it: a full queue sends it to the overflow list. Safe for concurrent use.
     */
    public boolean appendFinal(LogRecord record) {
        return offer(record, true);
    }

    // one lock orders queue and overflow: accepted records are written in the order they are counted here
    private synchronized boolean offer(LogRecord record, boolean keep) {
        if (accepting && overflow.isEmpty() && queue.offer(record)) {
            accepted.incrementAndGet();
            return true;
        }
        if (accepting && keep) {
            overflow.add(record);
            accepted.incrementAndGet();
            return true;
        }
        drop(1);
        return false;
    }

    /** Moves overflow records into {@code batch} once the queue is empty (they are newer than anything queued). */
    private synchronized void takeOverflow(List<LogRecord> batch) {
        while (queue.isEmpty() && batch.size() < MAX_BATCH && !overflow.isEmpty()) {
            batch.add(overflow.poll());
        }
    }

    private synchronized boolean idle() {
        return queue.isEmpty() && overflow.isEmpty();
    }

    /** Records accepted but not yet on disk: queued, in overflow, or held by a failing write. */
    public long backlog() {
        return accepted.get() - settled;
    }

    /** Writes to the journal that failed (disk full, I/O error) and were retried. */
    public long writeFailures() {
        return writeFailures.get();
    }

    /**
     * Completes once every record appended before this call is written and flushed (or counted as lost), so a
     * message leaves the spool only after its final record is on disk.
     */
    public CompletableFuture<Void> whenWritten() {
        long upTo = accepted.get();
        if (upTo <= settled) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiters.add(new Waiter(upTo, done));
        if (upTo <= settled && waiters.remove(new Waiter(upTo, done))) { // the writer flushed meanwhile
            done.complete(null);
        }
        return done;
    }

    /** Records lost so far: refused when the queue was full or the log not running, or given up at stop. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Stops taking records and writes out all queued ones, waiting at most {@code grace}. Records appended while
     * stop runs may be dropped; the service order stops every producer first.
     */
    @Override
    public void stop(Duration grace) {
        accepting = false;
        stopping = true;
        if (!writer.isAlive()) {
            return;
        }
        try {
            writer.join(Math.max(1, grace.toMillis()));
            if (writer.isAlive()) {
                abandoned = true; // writes still failing: give up rather than keep the process from exiting
                writer.join(RETRY_MILLIS * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.warn("delivery log did not finish writing within {}; {} records still queued", grace, queue.size());
        }
        waiters.forEach(w -> w.done().complete(null)); // nobody may wait past the end: messages stay spooled otherwise
    }

    private void run() {
        List<LogRecord> batch = new ArrayList<>(MAX_BATCH);
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        long lastFlush = clock.millis();
        long taken = 0; // records handed to the segments, in order
        long failingSince = -1;
        try (LogSegments segments = new LogSegments(config.path(), config.segmentSize(), config.segmentAge(), clock)) {
            while (true) {
                if (batch.isEmpty()) {
                    LogRecord first = poll();
                    if (first != null) {
                        batch.add(first);
                        LockSupport.parkNanos(GATHER_NANOS);
                        queue.drainTo(batch, MAX_BATCH - 1);
                    }
                    takeOverflow(batch);
                }
                boolean failed = false;
                if (!batch.isEmpty()) {
                    int written = writeBatch(batch, segments, line);
                    taken += written;
                    batch.subList(0, written).clear();
                    failed = !batch.isEmpty(); // the rest waits for the retry, in order
                }
                // flush when idle, so a quiet log is current on disk, and at least every second under load
                if (!failed && (queue.isEmpty() || clock.millis() - lastFlush >= FLUSH_EVERY_MILLIS)) {
                    failed = !flush(segments);
                    if (!failed) {
                        lastFlush = clock.millis();
                        settle(taken);
                    }
                }
                if (failed) {
                    failingSince = failingSince < 0 ? clock.millis() : failingSince;
                    if (!pauseBeforeRetry()) {
                        lose(batch.size());
                        return;
                    }
                    continue;
                }
                if (failingSince >= 0) {
                    log.info("delivery log writes to {} again after {} ms of failures", config.path(), clock.millis() - failingSince);
                    failingSince = -1;
                }
                if (stopping && batch.isEmpty() && idle()) {
                    return;
                }
            }
        } catch (IOException e) {
            log.error("delivery log segment did not close cleanly", e);
        }
    }

    /** Waits before retrying a failed write; false when stop() gave up on the log. */
    private boolean pauseBeforeRetry() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS));
        return !abandoned;
    }

    /** At stop, with the disk still refusing writes: what could not be written is counted as lost. */
    private void lose(int held) {
        long lost;
        synchronized (this) {
            lost = held + queue.size() + overflow.size();
            queue.clear();
            overflow.clear();
        }
        dropped.addAndGet(lost);
        log.error("delivery log stopped while it could not write to {}; {} records not written", config.path(), lost);
    }

    /** Completes the waiters whose records are all on disk now, and wakes the shippers when there is more. */
    private void settle(long processed) {
        if (processed != settled) {
            signal.grew();
        }
        settled = processed;
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.upTo() <= processed && waiters.remove(waiter)) {
                waiter.done().complete(null);
            }
        }
    }

    private LogRecord poll() {
        try {
            return queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // only stop() ends this thread, so queued records still get written: the interrupt is consumed on
            // purpose, as restoring it would make every later poll throw at once
            return null;
        }
    }

    /** Writes records in order until one fails; returns how many were taken. */
    private int writeBatch(List<LogRecord> batch, LogSegments segments, ByteArrayOutputStream line) {
        for (int i = 0; i < batch.size(); i++) {
            try {
                line.reset();
                try (JsonGenerator generator = json.createGenerator(line)) {
                    LogRecordJson.write(batch.get(i), generator);
                }
                line.write('\n');
                segments.write(line.toByteArray());
            } catch (IOException e) {
                writeFailed(e);
                return i;
            }
        }
        return batch.size();
    }

    private boolean flush(LogSegments segments) {
        try {
            segments.flush();
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
        }
    }

    private void writeFailed(IOException cause) {
        writeFailures.incrementAndGet();
        if (due(nextFailureWarnAt)) {
            log.warn("delivery log cannot write to {}; {} records wait in memory and are retried every {} ms",
                    config.path(), backlog(), RETRY_MILLIS, cause);
        }
    }

    private void drop(int records) {
        long total = dropped.addAndGet(records);
        if (due(nextWarnAt)) {
            log.warn("delivery log queue full or stopped; {} records dropped so far", total);
        }
    }

    /** True at most once a minute per {@code next}. */
    private boolean due(AtomicLong next) {
        long now = clock.millis();
        long at = next.get();
        return now >= at && next.compareAndSet(at, now + WARN_EVERY_MILLIS);
    }
}
