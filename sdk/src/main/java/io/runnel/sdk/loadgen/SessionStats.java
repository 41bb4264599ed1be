package io.runnel.sdk.loadgen;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Counters of one session thread; confined to it, merged into a {@link LoadReport} after it ends. */
final class SessionStats {

  /** Auto-resizing, so no latency is ever out of range; three significant digits. */
  final Histogram latencyMicros = new Histogram(3);
  final Map<Integer, Long> rejected = new TreeMap<>();
  final Map<Integer, Long> rejectedRecipients = new TreeMap<>();
  long accepted;
  long acceptedBytes;
  long errors;

  void record(Outcome outcome, int messageBytes) {
    for (int code : outcome.rejectedRecipientCodes()) rejectedRecipients.merge(code, 1L, Long::sum);
    if (outcome instanceof Outcome.Accepted a) {
      accepted++;
      acceptedBytes += messageBytes;
      latencyMicros.recordValue(a.latencyMicros());
    } else if (outcome instanceof Outcome.Rejected r) {
      rejected.merge(r.code(), 1L, Long::sum);
    } else {
      throw new IllegalStateException("unhandled outcome " + outcome);
    }
  }

  void recordError() {
    errors++;
  }
}
