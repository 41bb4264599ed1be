package io.runnel.kernel.log;

import io.runnel.api.log.LogEvent;
import io.runnel.api.log.LogSink;
import io.runnel.kernel.config.LogSinkConfig;
import io.runnel.kernel.plugin.OnFailure;
import io.runnel.kernel.plugin.PluginInvoker;
import io.runnel.kernel.plugin.PluginResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one log sink from the journal on a thread of its own: reads a batch after the sink's cursor, publishes
 * it, and saves the cursor past it only once the sink accepted it. A failed batch is offered again, the same
 * records in the same order, after a backoff that doubles up to the configured cap; newer records wait on disk
 * meanwhile. So delivery to the sink is at least once (a crash between publish and cursor save repeats a batch),
 * in journal order, and nothing is held in memory beyond one batch.
 */
final class LogShipper {

    private static final Logger log = LoggerFactory.getLogger(LogShipper.class);
    private static final String EXTENSION_POINT = LogSink.class.getSimpleName();
    /** A caught-up shipper looks at the journal at least this often even when no flush signal came. */
    private static final long IDLE_WAIT_MILLIS = 1000;
    /** A journal that cannot be read (disk trouble) is tried again after this. */
    private static final Duration READ_RETRY = Duration.ofSeconds(5);
    /**
     * A cursor save costs two fsyncs; under load it is saved this often, not after every batch. A crash repeats at
     * most this much of what the sink already took, which at least once allows.
     */
    private static final long SAVE_EVERY_NANOS = 200_000_000;

    private final String sinkId;
    private final String pluginId;
    private final LogSink sink;
    private final LogSinkConfig config;
    private final PluginInvoker invoker;
    private final JournalFolder folder;
    private final CursorStore cursors;
    private final JournalSignal signal;
    private final LogEventParser parser = new LogEventParser();
    private final Thread thread;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private final AtomicLong shipped = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final AtomicLong damaged = new AtomicLong();
    private volatile JournalPosition saved;
    /** Past the last batch the sink accepted; saved at most every {@link #SAVE_EVERY_NANOS}, when idle and at stop. */
    private volatile JournalPosition accepted;
    private long savedAt = System.nanoTime();
    private volatile JournalReader reader;

    LogShipper(String sinkId, String pluginId, LogSink sink, LogSinkConfig config, PluginInvoker invoker,
               JournalFolder folder, CursorStore cursors, JournalSignal signal, JournalPosition from) {
        this.sinkId = sinkId;
        this.pluginId = pluginId;
        this.sink = sink;
        this.config = config;
        this.invoker = invoker;
        this.folder = folder;
        this.cursors = cursors;
        this.signal = signal;
        this.saved = from;
        this.accepted = from;
        this.thread = new Thread(this::run, "log-ship-" + sinkId);
        thread.setDaemon(true);
    }

    String sinkId() {
        return sinkId;
    }

    void start() {
        thread.start();
    }

    /** Asks the thread to stop after the call in flight; {@link #awaitStop} waits for it. */
    void requestStop() {
        stopRequested.countDown();
        signal.grew();
    }

    /** Waits at most {@code grace}; a sink still stuck in publish then is interrupted (its batch is shipped again). */
    void awaitStop(Duration grace) {
        try {
            thread.join(Math.max(1, grace.toMillis()));
            if (thread.isAlive()) {
                log.atWarn().addKeyValue("sink", sinkId).log("log sink did not return within {}; interrupting it", grace);
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    SinkStats stats() {
        long lag;
        try {
            lag = folder.bytesAfter(accepted);
        } catch (IOException e) {
            lag = -1;
        }
        JournalReader r = reader;
        return new SinkStats(sinkId, shipped.get(), failedBatches.get(), damaged.get() + (r == null ? 0 : r.skipped()),
                lag, saved.format());
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private void run() {
        int batchSize = Math.max(1, Math.min(config.batchSize(), maxBatchSize()));
        try (JournalReader in = new JournalReader(folder, sinkId, saved)) {
            reader = in;
            while (!stopping()) {
                long seen = signal.generation();
                JournalReader.Chunk chunk;
                try {
                    chunk = in.read(batchSize);
                } catch (IOException e) {
                    log.atWarn().addKeyValue("sink", sinkId).setCause(e).log("cannot read the journal; retrying");
                    pause(READ_RETRY);
                    continue;
                }
                List<LogEvent> batch = events(chunk);
                if (!batch.isEmpty() && !publishUntilAccepted(batch)) {
                    break; // stopping before the sink took it: the batch stays after the saved cursor
                }
                accepted = chunk.end();
                boolean idle = chunk.lines().isEmpty();
                if (!accepted.equals(saved) && (idle || System.nanoTime() - savedAt >= SAVE_EVERY_NANOS)) {
                    save(accepted);
                }
                if (idle) {
                    signal.awaitAfter(seen, IDLE_WAIT_MILLIS);
                }
            }
            save(accepted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop() gave up waiting; the unsaved batch is shipped next time
        } catch (IOException e) {
            log.atWarn().addKeyValue("sink", sinkId).setCause(e).log("closing the journal failed");
        }
    }

    private int maxBatchSize() {
        PluginResult<Integer> max = invoker.callHere(pluginId, EXTENSION_POINT, OnFailure.CONTINUE, sink::maxBatchSize);
        return max instanceof PluginResult.Success<Integer> s && s.value() != null ? s.value() : config.batchSize();
    }

    private List<LogEvent> events(JournalReader.Chunk chunk) {
        List<LogEvent> out = new ArrayList<>(chunk.lines().size());
        for (String line : chunk.lines()) {
            try {
                out.add(parser.parse(line));
            } catch (IOException e) {
                damaged.incrementAndGet();
                log.atWarn().addKeyValue("sink", sinkId).log("journal line before {} is not a record ({}); skipped",
                        chunk.end().format(), e.getMessage());
            }
        }
        return out;
    }

    /** Publishes until the sink takes the batch (true) or the shipper is asked to stop (false). */
    private boolean publishUntilAccepted(List<LogEvent> batch) throws InterruptedException {
        List<LogEvent> records = List.copyOf(batch);
        int failures = 0;
        while (!stopping()) {
            PluginResult<Void> result = invoker.callHere(pluginId, EXTENSION_POINT, OnFailure.CONTINUE, () -> {
                sink.publish(records);
                return null;
            });
            if (result instanceof PluginResult.Success) {
                shipped.addAndGet(records.size());
                if (failures > 0) {
                    log.atInfo().addKeyValue("sink", sinkId).log("log sink accepts records again after {} failed attempts",
                            failures);
                }
                return true;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            failures++;
            failedBatches.incrementAndGet();
            Duration wait = backoff(failures);
            log.atWarn().addKeyValue("sink", sinkId).addKeyValue("attempt", failures)
                    .log("log sink failed a batch of {} records ({}); retrying in {} ms", records.size(),
                            ((PluginResult.Failed<Void>) result).reason(), wait.toMillis());
            pause(wait);
        }
        return false;
    }

    Duration backoff(int failures) {
        Duration wait = config.minBackoff();
        for (int i = 1; i < failures && wait.compareTo(config.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }

    private void pause(Duration wait) throws InterruptedException {
        stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void save(JournalPosition position) {
        if (position.equals(saved)) {
            return;
        }
        try {
            cursors.save(sinkId, position);
            saved = position;
            savedAt = System.nanoTime();
        } catch (IOException e) {
            // the records went out; an unsaved cursor only means they go out again after a restart
            log.atWarn().addKeyValue("sink", sinkId).setCause(e).log("cannot save the log sink's cursor");
        }
    }
}
