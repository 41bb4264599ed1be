package io.runnel.sdk.loadgen;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Spaces message starts at a target rate over all sessions: message {@code k} of a phase may start
 * {@code k / rate} seconds after the phase's first claim. A session that falls behind sends at once (no slot is
 * skipped), so a server slower than the rate sees the sessions' full concurrency, never more.
 */
interface Pacer {

  /** No waiting. */
  Pacer UNLIMITED = (index, deadlineNanos) -> true;

  /**
   * Waits until slot {@code index} (0 for the phase's first message) has come.
   *
   * @return false when the deadline (a {@link System#nanoTime()} value, or {@link Long#MAX_VALUE} for none)
   *         passes first
   */
  boolean awaitSlot(long index, long deadlineNanos);

  static Pacer atRate(double perSecond, LongSupplier nanoTime) {
    double interval = 1e9 / perSecond;
    return new Pacer() {
      private volatile long start = Long.MIN_VALUE;

      @Override
      public boolean awaitSlot(long index, long deadlineNanos) {
        long origin = origin();
        long due = origin + (long) (index * interval);
        for (long now = nanoTime.getAsLong(); due - now > 0; now = nanoTime.getAsLong()) {
          if (deadlineNanos != Long.MAX_VALUE && now - deadlineNanos >= 0) return false;
          LockSupport.parkNanos(Math.min(due - now, 10_000_000L));   // wakes at least every 10 ms to check
          if (Thread.currentThread().isInterrupted()) return false;
        }
        return deadlineNanos == Long.MAX_VALUE || due - deadlineNanos < 0;
      }

      private long origin() {
        long s = start;
        if (s != Long.MIN_VALUE) return s;
        synchronized (this) {
          if (start == Long.MIN_VALUE) start = nanoTime.getAsLong();
          return start;
        }
      }
    };
  }
}
