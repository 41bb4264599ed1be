package io.runnel.sdk.loadgen;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** Hands out message numbers {@code [first, end)} to the sessions of one phase, each number once. */
final class MessageSequence {

  private final AtomicLong next;
  private final long end;

  MessageSequence(long first, long count) {
    this.next = new AtomicLong(first);
    this.end = first + count;
  }

  OptionalLong claim() {
    long n = next.getAndIncrement();
    return n < end ? OptionalLong.of(n) : OptionalLong.empty();
  }
}
