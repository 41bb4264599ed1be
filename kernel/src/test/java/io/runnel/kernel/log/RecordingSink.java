package io.runnel.kernel.log;

import io.runnel.api.log.LogEvent;
import io.runnel.api.log.LogSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink that keeps what it was given, and fails the next {@link #failNext} calls as a broken destination would. */
final class RecordingSink implements LogSink {

    private final List<LogEvent> received = new ArrayList<>();
    private final int maxBatch;
    final AtomicInteger failNext = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    RecordingSink(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    @Override
    public synchronized void publish(List<LogEvent> batch) throws IOException {
        calls.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("destination down");
        }
        received.addAll(batch);
    }

    @Override
    public int maxBatchSize() {
        return maxBatch;
    }

    synchronized List<LogEvent> received() {
        return List.copyOf(received);
    }
}
