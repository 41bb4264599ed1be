package io.runnel.sdk.loadgen;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The result of a load run (warm-up excluded).
 *
 * @param requested          messages the run was asked to send
 * @param pipelineDepth      messages a session was allowed to keep in flight (1 when not pipelining BDAT)
 * @param accepted           messages whose end-of-data reply was 2xx
 * @param rejected           refused messages by the reply code that refused them
 * @param rejectedRecipients refused RCPTs of messages that still had other recipients, by reply code
 * @param errors             messages lost to connection errors, timeouts or protocol violations
 * @param acceptedBytes      message bytes (before dot-stuffing) of accepted messages
 * @param elapsed            wall time of the measured phase
 * @param cpu                CPU time the generator's own process spent in the measured phase (all its threads, JIT
 *                           and GC included): with the server's, what a benchmark needs to see where a shared
 *                           machine's cores went; zero where the JVM does not tell
 * @param latency            end-of-data reply latency of accepted messages
 */
public record LoadReport(long requested, int pipelineDepth, long accepted, SortedMap<Integer, Long> rejected,
                         SortedMap<Integer, Long> rejectedRecipients, long errors, long acceptedBytes,
                         Duration elapsed, Duration cpu, Latency latency) {

  public LoadReport {
    requireNonNull(elapsed, "elapsed");
    requireNonNull(cpu, "cpu");
    requireNonNull(latency, "latency");
    rejected = Collections.unmodifiableSortedMap(new TreeMap<>(rejected));
    rejectedRecipients = Collections.unmodifiableSortedMap(new TreeMap<>(rejectedRecipients));
  }

  /**
   * Latency percentiles in milliseconds, with microsecond resolution.
   *
   * @param count samples behind the percentiles; all values are 0 when it is 0
   */
  public record Latency(long count, double p50, double p90, double p99, double p999, double max) {

    static Latency of(Histogram micros) {
      if (micros.getTotalCount() == 0) return new Latency(0, 0, 0, 0, 0, 0);
      return new Latency(micros.getTotalCount(), millis(micros.getValueAtPercentile(50)),
          millis(micros.getValueAtPercentile(90)), millis(micros.getValueAtPercentile(99)),
          millis(micros.getValueAtPercentile(99.9)), millis(micros.getMaxValue()));
    }

    private static double millis(long micros) {
      return micros / 1000.0;
    }
  }

  static LoadReport merge(long requested, int pipelineDepth, List<SessionStats> sessions, Duration elapsed,
                          Duration cpu) {
    Histogram latency = new Histogram(3);
    SortedMap<Integer, Long> rejected = new TreeMap<>();
    SortedMap<Integer, Long> rejectedRecipients = new TreeMap<>();
    long accepted = 0;
    long bytes = 0;
    long errors = 0;
    for (SessionStats s : sessions) {
      latency.add(s.latencyMicros);
      s.rejected.forEach((code, n) -> rejected.merge(code, n, Long::sum));
      s.rejectedRecipients.forEach((code, n) -> rejectedRecipients.merge(code, n, Long::sum));
      accepted += s.accepted;
      bytes += s.acceptedBytes;
      errors += s.errors;
    }
    return new LoadReport(requested, pipelineDepth, accepted, rejected, rejectedRecipients, errors, bytes, elapsed, cpu,
        Latency.of(latency));
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** True when every requested message went to every recipient. */
  public boolean allAccepted() {
    return accepted == requested && rejected.isEmpty() && rejectedRecipients.isEmpty() && errors == 0;
  }

  public double elapsedSeconds() {
    return elapsed.toNanos() / 1e9;
  }

  public double messagesPerSecond() {
    return elapsed.isZero() ? 0 : accepted / elapsedSeconds();
  }

  /** The generator's CPU per accepted message, in milliseconds; 0 when nothing was accepted. */
  public double cpuMillisPerMessage() {
    return accepted == 0 ? 0 : cpu.toNanos() / 1e6 / accepted;
  }

  /** Decimal megabytes (10^6 bytes) of accepted message content per second. */
  public double megabytesPerSecond() {
    return elapsed.isZero() ? 0 : acceptedBytes / 1e6 / elapsedSeconds();
  }
}
