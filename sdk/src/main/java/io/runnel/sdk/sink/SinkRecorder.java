package io.runnel.sdk.sink;

import io.runnel.sdk.dkim.DkimVerifier;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts accepted messages and, when asked to, keeps them; shared by all connections of one sink. Also keeps the
 * peers and command lines seen (tests are small) and hands out scripted faults in order.
 */
final class SinkRecorder {

  private final boolean keep;
  private final boolean keepIds;
  private final Map<String, LongAdder> messageIds = new ConcurrentHashMap<>();
  private final AtomicLong messages = new AtomicLong();
  private final LongAdder bytes = new LongAdder();
  private final Queue<ReceivedMessage> kept = new ConcurrentLinkedQueue<>();
  private final Queue<InetSocketAddress> peers = new ConcurrentLinkedQueue<>();
  private final Queue<SinkCommand> commands = new ConcurrentLinkedQueue<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Map<String, List<SinkFault>> faults;
  private final Map<String, AtomicInteger> occurrences = new ConcurrentHashMap<>();
  private final AtomicLong endsOfData = new AtomicLong();
  private final LongAdder tempfailed = new LongAdder();
  private final LongAdder permfailed = new LongAdder();
  private final LongAdder stalled = new LongAdder();
  private final LongAdder dkimPass = new LongAdder();
  private final LongAdder dkimFail = new LongAdder();
  private final LongAdder dkimNone = new LongAdder();
  private final AtomicLong firstMessageMillis = new AtomicLong();
  private volatile long lastMessageMillis;
  private final Clock clock;

  SinkRecorder(boolean keep, boolean keepIds, Map<String, List<SinkFault>> faults, Clock clock) {
    this.keep = keep;
    this.keepIds = keepIds;
    this.faults = faults;
    this.clock = clock;
  }

  /** Notes a new connection and returns its number. */
  int connected(SocketAddress peer) {
    if (keep && peer instanceof InetSocketAddress inet) peers.add(inet);
    return connections.incrementAndGet();
  }

  void command(SinkCommand command) {
    if (keep) commands.add(command);
  }

  /** The scripted fault for this occurrence of {@code verb}, if any. */
  Optional<SinkFault> nextFault(String verb) {
    List<SinkFault> script = faults.get(verb);
    if (script == null) return Optional.empty();
    int n = occurrences.computeIfAbsent(verb, v -> new AtomicInteger()).getAndIncrement();
    return n < script.size() ? Optional.of(script.get(n)) : Optional.empty();
  }

  /** Records one accepted message and returns its number, used as the queue id in the 250 reply. */
  long record(String sender, List<String> recipients, byte[] content, long size) {
    // Kept before counting, so a reader that sees the count also sees the message.
    if (keep) kept.add(new ReceivedMessage(sender, recipients, content));
    if (keepIds) messageIds.computeIfAbsent(MessageIdHeader.of(content), id -> new LongAdder()).increment();
    bytes.add(size);
    long now = clock.millis();
    firstMessageMillis.compareAndSet(0, now);
    lastMessageMillis = now;   // racing writers differ by microseconds; any of them is a fine "latest"
    return messages.incrementAndGet();
  }

  /** Numbers the ends of data across connections, for {@link ReplyShares#decide(long)}. */
  long nextEndOfData() {
    return endsOfData.getAndIncrement();
  }

  void refused(ReplyShares.Decision decision) {
    switch (decision) {
      case TEMPFAIL -> tempfailed.increment();
      case PERMFAIL -> permfailed.increment();
      case STALL -> stalled.increment();
      default -> throw new IllegalArgumentException("not a refusal: " + decision);
    }
  }

  void dkim(DkimVerifier.Status status) {
    switch (status) {
      case PASS -> dkimPass.increment();
      case FAIL -> dkimFail.increment();
      case NONE -> dkimNone.increment();
      default -> throw new IllegalArgumentException("unhandled status " + status);
    }
  }

  SinkStats stats() {
    return new SinkStats(messages.get(), bytes.sum(), tempfailed.sum(), permfailed.sum(), stalled.sum(),
        connections.get(), dkimPass.sum(), dkimFail.sum(), dkimNone.sum(), firstMessageMillis.get(),
        lastMessageMillis);
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

  Map<String, Long> messageIds() {
    Map<String, Long> out = new HashMap<>();
    messageIds.forEach((id, count) -> out.put(id, count.sum()));
    return Map.copyOf(out);
  }

  List<InetSocketAddress> peers() {
    return List.copyOf(peers);
  }

  List<SinkCommand> commands() {
    return List.copyOf(commands);
  }
}
