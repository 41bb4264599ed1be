package io.runnel.sdk.sink;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts accepted messages and, when asked to, keeps them; shared by all connections of one sink. */
final class SinkRecorder {

  private final boolean keep;
  private final AtomicLong messages = new AtomicLong();
  private final LongAdder bytes = new LongAdder();
  private final Queue<ReceivedMessage> kept = new ConcurrentLinkedQueue<>();

  SinkRecorder(boolean keep) {
    this.keep = keep;
  }

  /** Records one accepted message and returns its number, used as the queue id in the 250 reply. */
  long record(String sender, List<String> recipients, byte[] content, long size) {
    // Kept before counting, so a reader that sees the count also sees the message.
    if (keep) kept.add(new ReceivedMessage(sender, recipients, content));
    bytes.add(size);
    return messages.incrementAndGet();
  }

  long messages() {
    return messages.get();
  }

  long bytes() {
    return bytes.sum();
  }

  List<ReceivedMessage> received() {
    return List.copyOf(kept);
  }
}
