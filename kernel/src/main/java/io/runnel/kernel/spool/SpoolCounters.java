package io.runnel.kernel.spool;

import java.util.concurrent.atomic.AtomicLong;

/** Group-commit counters: written by the writer thread, read by anyone. */
final class SpoolCounters {
    private final AtomicLong messagesStored = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong writesFailed = new AtomicLong();

    void committed(int newMessages) {
        commits.incrementAndGet();
        messagesStored.addAndGet(newMessages);
    }

    void failed(int writes) {
        writesFailed.addAndGet(writes);
    }

    SpoolStats snapshot() {
        return new SpoolStats(messagesStored.get(), commits.get(), writesFailed.get());
    }
}
