package io.runnel.sdk.ctl;

import com.google.protobuf.Timestamp;
import io.runnel.grpc.v1.Selector;
import io.runnel.grpc.v1.SmtpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How values read in tables: ages "2h05m", sizes "4.0 KiB", times in UTC to the second. */
final class Formats {

  private Formats() {
  }

  static String age(com.google.protobuf.Duration d) {
    return age(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
  }

  static String age(Duration d) {
    long s = d.getSeconds();
    if (s < 60) return s + "s";
    if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    if (s < 86400) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
  }

  static String bytes(long n) {
    if (n < 1024) return n + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** "" for an unset timestamp. */
  static String time(Timestamp t) {
    if (t.getSeconds() == 0 && t.getNanos() == 0) return "";
    return Instant.ofEpochSecond(t.getSeconds()).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String selector(Selector s) {
    List<String> parts = new ArrayList<>();
    if (!s.getTenant().isEmpty()) parts.add("tenant=" + s.getTenant());
    if (!s.getCampaign().isEmpty()) parts.add("campaign=" + s.getCampaign());
    if (!s.getDomain().isEmpty()) parts.add("domain=" + s.getDomain());
    if (!s.getSite().isEmpty()) parts.add("site=" + s.getSite());
    if (!s.getSource().isEmpty()) parts.add("source=" + s.getSource());
    return parts.isEmpty() ? "(all)" : String.join(" ", parts);
  }

  static String response(SmtpResponse r) {
    if (r.getCode() == 0 && r.getContent().isEmpty()) return "";
    String text = (r.getCode() == 0 ? "" : r.getCode() + " ") + (r.getEnhancedCode().isEmpty() ? "" : r.getEnhancedCode() + " ")
        + r.getContent().replace("\n", " / ");
    return text.strip();
  }

  /** "until resumed" when unset. */
  static String until(Timestamp expires, String forever) {
    String t = time(expires);
    return t.isEmpty() ? forever : t;
  }
}
