package io.runnel.kernel.log;

/**
 * Tells the shippers that the journal grew: the writer calls {@link #grew()} after each flush, so a shipper that
 * caught up wakes at once instead of polling. A missed signal costs at most the wait's timeout.
 */
public final class JournalSignal {

    private long generation;

    /** The writer flushed new lines, or a shipper is stopping: wakes every waiter. */
    public synchronized void grew() {
        generation++;
        notifyAll();
    }

    synchronized long generation() {
        return generation;
    }

    /** Waits until a {@link #grew()} after {@code seen} (a {@link #generation()}), at most {@code millis}. */
    synchronized void awaitAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (generation == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
