package io.runnel.sdk.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class LoadGeneratorTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Pattern USER_NUMBER = Pattern.compile("user(\\d+)@example\\.com");

  @ParameterizedTest(name = "bdat={0}")
  @ValueSource(booleans = {false, true})
  void sinkReceivesExactlyTheMessagesSentWithTheirEnvelopesAndBytes(boolean bdat) throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(300).withConcurrency(4).withBdat(bdat);

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      assertThat(report.accepted()).isEqualTo(300);
      assertThat(report.allAccepted()).isTrue();
      assertThat(sink.messageCount()).isEqualTo(300);
      assertReceivedExactly(sink.received(), options, 0, 300);
    }
  }

  @Test
  void largeMessagesSurviveDotStuffingAcrossManyReads() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(6).withConcurrency(2)
          .withSize(1 << 20);

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      assertThat(report.accepted()).isEqualTo(6);
      assertThat(report.acceptedBytes()).isEqualTo(6L << 20);
      assertThat(sink.byteCount()).isEqualTo(6L << 20);
      assertReceivedExactly(sink.received(), options, 0, 6);
    }
  }

  @Test
  void warmupMessagesAreSentButNotReported() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(40).withWarmup(10)
          .withConcurrency(3).withMessagesPerConnection(7);

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      assertThat(report.requested()).isEqualTo(40);
      assertThat(report.accepted()).isEqualTo(40);
      assertThat(report.latency().count()).isEqualTo(40);
      assertThat(sink.messageCount()).isEqualTo(50);
      assertReceivedExactly(sink.received(), options, 0, 50);
    }
  }

  @Test
  void everyRecipientOfAMessageIsSentInTheEnvelope() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(5).withRecipients("r%d@example.org", 3);

      new LoadGenerator(options, CLOCK).run();

      assertThat(sink.received()).flatExtracting(ReceivedMessage::recipients).hasSize(15)
          .doesNotHaveDuplicates().allMatch(r -> r.matches("r\\d+@example\\.org"));
    }
  }

  @Test
  void percentilesInTheReportArePositiveAndOrdered() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults())) {
      LoadReport report = new LoadGenerator(LoadOptions.defaults(sink.port()).withMessages(500), CLOCK).run();

      LoadReport.Latency l = report.latency();
      assertThat(l.count()).isEqualTo(500);
      assertThat(l.p50()).isPositive();
      assertThat(l.p50()).isLessThanOrEqualTo(l.p90());
      assertThat(l.p90()).isLessThanOrEqualTo(l.p99());
      assertThat(l.p99()).isLessThanOrEqualTo(l.p999());
      assertThat(l.p999()).isLessThanOrEqualTo(l.max());
      assertThat(report.messagesPerSecond()).isPositive();
      assertThat(report.megabytesPerSecond()).isPositive();
      assertThat(report.cpu()).isPositive(); // 500 transactions cannot take no CPU at all
      assertThat(report.cpuMillisPerMessage()).isEqualTo(report.cpu().toNanos() / 1e6 / 500);
    }
  }

  @Test
  void rejectedRecipientsAreCountedByCodeAndTheExitCodeIsOne() throws Exception {
    Map<String, SinkReply> script = new HashMap<>();
    for (int i = 0; i < 20; i += 4) script.put("user" + i + "@example.com", SinkReply.of(550, "5.1.1 No such user"));
    script.put("user3@example.com", SinkReply.of(451, "4.3.0 Try later"));
    SinkOptions sinkOptions = SinkOptions.defaults().keepingMessages(true)
        .withRecipientPolicy(RecipientPolicy.scripted(script));
    try (SmtpSink sink = SmtpSink.start(sinkOptions)) {
      StringWriter out = new StringWriter();

      int exit = run(out, "--port", Integer.toString(sink.port()), "-n", "20", "-c", "3", "--json");

      assertThat(exit).isEqualTo(1);
      assertThat(out.toString()).contains("\"accepted\":14,").contains("\"rejected\":{\"451\":1,\"550\":5}")
          .contains("\"errors\":0");
      assertThat(sink.messageCount()).isEqualTo(14);
      assertThat(sink.received()).flatExtracting(ReceivedMessage::recipients)
          .doesNotContain("user0@example.com", "user3@example.com", "user16@example.com");
    }
  }

  @Test
  void rejectedMessagesWithBdatAreCountedToo() throws Exception {
    SinkOptions sinkOptions = SinkOptions.defaults()
        .withRecipientPolicy(RecipientPolicy.scripted(Map.of("user1@example.com", SinkReply.of(550, "5.1.1 No"))));
    try (SmtpSink sink = SmtpSink.start(sinkOptions)) {
      LoadReport report = new LoadGenerator(
          LoadOptions.defaults(sink.port()).withMessages(10).withConcurrency(1).withBdat(true), CLOCK).run();

      assertThat(report.accepted()).isEqualTo(9);
      assertThat(report.rejected()).containsExactly(Map.entry(550, 1L));
      assertThat(report.errors()).isZero();
      assertThat(sink.messageCount()).isEqualTo(9);
    }
  }

  @Test
  void allAcceptedRunExitsWithZeroAndPrintsTheReport() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults())) {
      StringWriter out = new StringWriter();

      int exit = run(out, "--port", Integer.toString(sink.port()), "-n", "50", "-s", "1KiB", "--bdat");

      assertThat(exit).isZero();
      assertThat(out.toString()).containsPattern("accepted\\s+50").containsPattern("rejected\\s+0")
          .contains("msg/s").contains("p99.9");
    }
  }

  @Test
  void unreachableServerCountsEveryMessageAsAnError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    LoadOptions options = LoadOptions.defaults(closedPort).withMessages(5).withConcurrency(2);

    LoadReport report = new LoadGenerator(options, CLOCK).run();

    assertThat(report.errors()).isEqualTo(5);
    assertThat(report.accepted()).isZero();
    assertThat(report.allAccepted()).isFalse();
  }

  @Test
  void badUsageExitsWithTwo() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new LoadGeneratorMain()).setErr(new PrintWriter(out));

    assertThat(cli.execute("-c", "0")).isEqualTo(2);
    assertThat(cli.execute("-s", "12 parsecs")).isEqualTo(2);
    assertThat(cli.execute("-s", "10")).isEqualTo(2);
    assertThat(out.toString()).contains("concurrency").contains("smaller than the headers");
  }

  private static int run(StringWriter out, String... args) {
    return new CommandLine(new LoadGeneratorMain()).setOut(new PrintWriter(out)).execute(args);
  }

  /** Every number in [first, first + count) arrived once, with the envelope and bytes the factory builds. */
  static void assertReceivedExactly(List<ReceivedMessage> received, LoadOptions options, long first,
                                            long count) {
    MessageFactory factory = new MessageFactory(options, CLOCK);
    assertThat(received).hasSize((int) count);
    Map<Long, ReceivedMessage> byNumber = new HashMap<>();
    for (ReceivedMessage m : received) {
      assertThat(m.recipients()).hasSize(1);
      Matcher number = USER_NUMBER.matcher(m.recipients().get(0));
      assertThat(number.matches()).as("recipient %s", m.recipients()).isTrue();
      assertThat(byNumber.put(Long.parseLong(number.group(1)), m)).as("duplicate %s", m.recipients()).isNull();
    }
    for (long n = first; n < first + count; n++) {
      OutgoingMessage expected = factory.message(n);
      ReceivedMessage actual = byNumber.get(n);
      assertThat(actual).as("message %d", n).isNotNull();
      assertThat(actual.sender()).isEqualTo(expected.sender());
      assertThat(actual.recipients()).isEqualTo(expected.recipients());
      assertThat(actual.content()).as("content of message %d", n).isEqualTo(expected.content());
    }
  }
}
