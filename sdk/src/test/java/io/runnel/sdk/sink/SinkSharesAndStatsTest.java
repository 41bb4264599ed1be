package io.runnel.sdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.sdk.loadgen.LoadGenerator;
import io.runnel.sdk.loadgen.LoadOptions;
import io.runnel.sdk.loadgen.LoadReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Refusal and stall shares, and the counters a benchmark script reads over the stats port. */
class SinkSharesAndStatsTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void sharesOfMessagesAreRefusedWithTheirCodesAndCounted() throws Exception {
    SinkOptions options = SinkOptions.defaults().withReplyShares(new ReplyShares(0.1, 0.05, 0));
    try (SmtpSink sink = SmtpSink.start(options)) {
      LoadReport report = new LoadGenerator(LoadOptions.defaults(sink.port()).withMessages(1000).withConcurrency(4),
          CLOCK).run();

      SinkStats stats = sink.stats();
      assertThat(report.rejected().get(451)).isEqualTo(stats.tempfailed()).isBetween(60L, 140L);
      assertThat(report.rejected().get(550)).isEqualTo(stats.permfailed()).isBetween(25L, 75L);
      assertThat(report.accepted()).isEqualTo(stats.messages()).isEqualTo(1000 - stats.tempfailed() - stats.permfailed());
    }
  }

  @Test
  void stalledMessagesAreNeverAnsweredSoTheClientTimesOut() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withReplyShares(new ReplyShares(0, 0, 1)))) {
      LoadOptions options = new LoadOptions("127.0.0.1", sink.port(), 2, io.runnel.sdk.loadgen.SizeMix.single(4096), 1,
          "a@example.com", "u%d@example.com", 1, "loadgen.local", false, 0, Duration.ofMillis(300), 0, 1,
          io.runnel.sdk.loadgen.TrafficOptions.DEFAULTS);

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      assertThat(report.errors()).isEqualTo(2);
      assertThat(sink.stats().stalled()).isEqualTo(2);
      assertThat(sink.stats().messages()).isZero();
    }
  }

  @Test
  void statsPortAnswersEveryConnectionWithOneJsonLine() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withStatsPort(0))) {
      assertThat(statsLine(sink)).contains("\"messages\":0,").contains("\"first_message_ms\":0");
      new LoadGenerator(LoadOptions.defaults(sink.port()).withMessages(25).withConcurrency(2), CLOCK).run();

      String line = statsLine(sink);
      assertThat(line).startsWith("{").endsWith("}").contains("\"messages\":25,").contains("\"bytes\":102400,")
          .contains("\"dkim\":{\"checked\":0,");
      assertThat(sink.stats().lastMessageMillis()).isGreaterThanOrEqualTo(sink.stats().firstMessageMillis())
          .isPositive();
    }
  }

  @Test
  void badSharesAreRefused() {
    assertThatThrownBy(() -> new ReplyShares(0.7, 0.5, 0)).hasMessageContaining("exceed 1");
    assertThatThrownBy(() -> new ReplyShares(-0.1, 0, 0)).hasMessageContaining("tempfail share");
    StringWriter err = new StringWriter();
    assertThat(new CommandLine(new SmtpSinkMain()).setErr(new PrintWriter(err))
        .execute("--stall-share", "2")).isEqualTo(2);
    assertThat(err.toString()).contains("stall share");
  }

  @Test
  void countLineShowsRefusalsAndDkimOnlyWhenThereAreAny() {
    assertThat(SmtpSinkMain.countLine(new SinkStats(10, 40960, 0, 0, 0, 1, 0, 0, 0, 1, 2), 2.0))
        .isEqualTo("messages 10 (+2.0/s) bytes 40960");
    assertThat(SmtpSinkMain.countLine(new SinkStats(10, 40960, 3, 1, 0, 1, 4, 1, 0, 1, 2), 2.0))
        .isEqualTo("messages 10 (+2.0/s) bytes 40960 tempfailed 3 permfailed 1 stalled 0 dkim pass 4 fail 1 none 0");
  }

  private static String statsLine(SmtpSink sink) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sink.statsPort().orElseThrow());
         BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
      String line = in.readLine();
      assertThat(in.readLine()).isNull();   // one line, then the sink closes
      return line;
    }
  }
}
