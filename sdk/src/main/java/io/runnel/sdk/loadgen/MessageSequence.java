package io.runnel.sdk.loadgen;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Hands out message numbers to the sessions of one phase, each number once: {@code count} numbers from
 * {@code first}, or as many as are claimed before a deadline. Each claim first waits for its {@link Pacer} slot.
 */
final class MessageSequence {

  private final AtomicLong next;
  private final AtomicLong claimed = new AtomicLong();
  private final long first;
  private final long end;
  private final long deadlineNanos;
  private final LongSupplier nanoTime;
  private final Pacer pacer;

  private MessageSequence(long first, long end, long deadlineNanos, LongSupplier nanoTime, Pacer pacer) {
    this.next = new AtomicLong(first);
    this.first = first;
    this.end = end;
    this.deadlineNanos = deadlineNanos;
    this.nanoTime = nanoTime;
    this.pacer = pacer;
  }

  static MessageSequence counted(long first, long count, Pacer pacer) {
    return new MessageSequence(first, first + count, Long.MAX_VALUE, System::nanoTime, pacer);
  }

  /** Numbers from {@code first} until {@code nanoTime} passes {@code deadlineNanos}. */
  static MessageSequence timed(long first, long deadlineNanos, LongSupplier nanoTime, Pacer pacer) {
    return new MessageSequence(first, Long.MAX_VALUE, deadlineNanos, nanoTime, pacer);
  }

  /** Upper bound of the numbers this sequence may hand out (sessions beyond it would idle). */
  long limit() {
    return end - first;
  }

  /** The next number once its pacer slot has come, or empty when the phase is over. */
  OptionalLong claim() {
    if (nanoTime.getAsLong() - deadlineNanos >= 0 && deadlineNanos != Long.MAX_VALUE) return OptionalLong.empty();
    long n = next.getAndIncrement();
    if (n >= end) return OptionalLong.empty();
    if (!pacer.awaitSlot(n - first, deadlineNanos)) return OptionalLong.empty();
    claimed.incrementAndGet();
    return OptionalLong.of(n);
  }

  /** Numbers handed out so far. */
  long claimed() {
    return claimed.get();
  }
}
