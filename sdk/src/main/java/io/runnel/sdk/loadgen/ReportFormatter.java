package io.runnel.sdk.loadgen;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link LoadReport} for people (aligned text) or for scripts (one JSON object). */
final class ReportFormatter {

  private ReportFormatter() {
  }

  static String text(LoadReport r) {
    LoadReport.Latency l = r.latency();
    StringBuilder out = new StringBuilder(512);
    line(out, "messages", Long.toString(r.requested()));
    line(out, "pipeline depth", Integer.toString(r.pipelineDepth()));
    line(out, "accepted", Long.toString(r.accepted()));
    line(out, "rejected", r.rejectedTotal() + byCode(r.rejected()));
    if (!r.rejectedRecipients().isEmpty()) {
      line(out, "rejected rcpts", r.rejectedRecipients().values().stream().mapToLong(Long::longValue).sum()
          + byCode(r.rejectedRecipients()));
    }
    line(out, "errors", Long.toString(r.errors()));
    line(out, "elapsed", String.format(Locale.ROOT, "%.3f s", r.elapsedSeconds()));
    line(out, "throughput", String.format(Locale.ROOT, "%.1f msg/s, %.0f msg/h, %.2f MB/s",
        r.messagesPerSecond(), r.messagesPerSecond() * 3600, r.megabytesPerSecond()));
    line(out, "cpu", String.format(Locale.ROOT, "%.2f s, %.3f ms per message (this process)",
        r.cpu().toNanos() / 1e9, r.cpuMillisPerMessage()));
    line(out, "latency ms", String.format(Locale.ROOT, "p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f",
        l.p50(), l.p90(), l.p99(), l.p999(), l.max()));
    return out.toString();
  }

  static String json(LoadReport r) {
    LoadReport.Latency l = r.latency();
    return String.format(Locale.ROOT,
        "{\"messages\":%d,\"pipeline_depth\":%d,\"accepted\":%d,\"rejected\":%s,\"rejected_recipients\":%s,"
            + "\"errors\":%d,\"accepted_bytes\":%d,\"elapsed_seconds\":%.6f,\"messages_per_second\":%.3f,"
            + "\"messages_per_hour\":%.0f,\"megabytes_per_second\":%.3f,\"cpu_seconds\":%.3f,\"cpu_ms_per_message\":%.4f,"
            + "\"latency_ms\":{\"count\":%d,\"p50\":%.3f,\"p90\":%.3f,"
            + "\"p99\":%.3f,\"p99_9\":%.3f,\"max\":%.3f}}",
        r.requested(), r.pipelineDepth(), r.accepted(), jsonCodes(r.rejected()), jsonCodes(r.rejectedRecipients()),
        r.errors(), r.acceptedBytes(), r.elapsedSeconds(), r.messagesPerSecond(), r.messagesPerSecond() * 3600,
        r.megabytesPerSecond(), r.cpu().toNanos() / 1e9, r.cpuMillisPerMessage(), l.count(),
        l.p50(), l.p90(), l.p99(), l.p999(), l.max());
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%-15s %s%n", label, value));
  }

  private static String byCode(Map<Integer, Long> codes) {
    if (codes.isEmpty()) return "";
    return codes.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", ", " (", ")"));
  }

  private static String jsonCodes(Map<Integer, Long> codes) {
    return codes.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
        .collect(Collectors.joining(",", "{", "}"));
  }
}
