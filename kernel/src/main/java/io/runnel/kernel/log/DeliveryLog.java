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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's record of every message event, as JSON lines in segment files under {@code [log] path}.
 *
 * <p>Mail flow never waits for the log: {@link #append} only offers to a bounded queue, and one background thread
 * serialises and writes. A full queue ({@code [log] queue_capacity} records) drops the record and counts it
 * ({@link #dropped()}), with a warning at most once a minute. Sinks never slow it down: they read the journal
 * files afterwards ({@link LogShipping}). Written lines reach the OS at least once a second, and
 * {@link #stop} writes everything queued before it returns.
 */
public final class DeliveryLog implements Service {
    private static final Logger log = LoggerFactory.getLogger(DeliveryLog.class);

    private static final long FLUSH_EVERY_MILLIS = 1000;
    private static final long WARN_EVERY_MILLIS = 60_000;
    /** How long the writer waits for a record before it looks at the stop flag and the flush deadline again. */
    private static final long POLL_MILLIS = 100;
    private static final int MAX_BATCH = 1024;

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
        if (accepting && queue.offer(record)) {
            accepted.incrementAndGet();
            return true;
        }
        drop(1, null);
        return false;
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

    /** Records lost so far: refused when the queue was full or the log not running, or failed to write. */
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
        long processed = 0;
        try (LogSegments segments = new LogSegments(config.path(), config.segmentSize(), config.segmentAge(), clock)) {
            while (true) {
                LogRecord first = poll();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    writeBatch(batch, segments, line);
                    processed += batch.size();
                    batch.clear();
                }
                // flush when idle, so a quiet log is current on disk, and at least every second under load
                if (queue.isEmpty() || clock.millis() - lastFlush >= FLUSH_EVERY_MILLIS) {
                    flush(segments);
                    lastFlush = clock.millis();
                    settle(processed);
                }
                if (stopping && queue.isEmpty()) {
                    return;
                }
            }
        } catch (IOException e) {
            log.error("delivery log segment did not close cleanly", e);
        }
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

    private void writeBatch(List<LogRecord> batch, LogSegments segments, ByteArrayOutputStream line) {
        for (int i = 0; i < batch.size(); i++) {
            try {
                line.reset();
                try (JsonGenerator generator = json.createGenerator(line)) {
                    LogRecordJson.write(batch.get(i), generator);
                }
                line.write('\n');
                segments.write(line.toByteArray());
            } catch (IOException e) {
                drop(batch.size() - i, e);
                closeQuietly(segments);
                return;
            }
        }
    }

    private void flush(LogSegments segments) {
        try {
            segments.flush();
        } catch (IOException e) {
            drop(0, e);
            closeQuietly(segments);
        }
    }

    /** After a write error the segment is abandoned; the next record opens a fresh one. */
    private void closeQuietly(LogSegments segments) {
        try {
            segments.close();
        } catch (IOException e) {
            log.debug("closing a failed delivery log segment also failed", e);
        }
    }

    private void drop(int records, IOException cause) {
        long total = dropped.addAndGet(records);
        long now = clock.millis();
        long next = nextWarnAt.get();
        if (now >= next && nextWarnAt.compareAndSet(next, now + WARN_EVERY_MILLIS)) {
            if (cause != null) {
                log.warn("delivery log cannot write to {}; {} records lost so far", config.path(), total, cause);
            } else {
                log.warn("delivery log queue full or stopped; {} records dropped so far", total);
            }
        }
    }
}
