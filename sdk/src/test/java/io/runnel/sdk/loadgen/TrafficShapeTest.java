package io.runnel.sdk.loadgen;

import static io.runnel.sdk.loadgen.LoadGeneratorTest.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.testing.TlsTesting;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkCommand;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Duration, rate, recipient domains, size mixes and STARTTLS, against the real sink. */
class TrafficShapeTest {

  @Test
  void timedRunSendsUntilTheDurationAndReportsWhatItSent() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults())) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(1).withConcurrency(2)
          .withTraffic(TrafficOptions.DEFAULTS.withDuration(Duration.ofMillis(700)));

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      assertThat(report.accepted()).isGreaterThan(1).isEqualTo(report.requested()).isEqualTo(sink.messageCount());
      assertThat(report.allAccepted()).isTrue();
      assertThat(report.elapsed()).isBetween(Duration.ofMillis(700), Duration.ofSeconds(10));
    }
  }

  @Test
  void targetRateSpacesMessagesOverAllSessions() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults())) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(40).withConcurrency(4)
          .withTraffic(TrafficOptions.DEFAULTS.withRate(50));

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      // 40 messages at 50/s: the last may start 39/50 s after the first.
      assertThat(report.accepted()).isEqualTo(40);
      assertThat(report.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(780));
      assertThat(report.messagesPerSecond()).isLessThanOrEqualTo(52);
    }
  }

  @Test
  void recipientsSpreadOverTheDomainsArriveThere() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(12).withConcurrency(3)
          .withTraffic(TrafficOptions.DEFAULTS.withDomains(4, "d{n}.bench.test"));

      assertThat(new LoadGenerator(options, CLOCK).run().allAccepted()).isTrue();

      assertThat(sink.received()).flatExtracting(ReceivedMessage::recipients)
          .extracting(r -> r.substring(r.indexOf('@') + 1)).hasSize(12)
          .containsOnly("d0.bench.test", "d1.bench.test", "d2.bench.test", "d3.bench.test");
    }
  }

  @Test
  void sizeMixDeliversEachMessageAtItsSize() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      SizeMix mix = SizeMix.parse("2k:1,50k:1");
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(30).withConcurrency(2).withSizes(mix);

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      long expectedBytes = 0;
      for (long n = 0; n < 30; n++) expectedBytes += mix.sizeOf(n);
      assertThat(report.acceptedBytes()).isEqualTo(expectedBytes).isEqualTo(sink.byteCount());
      assertThat(sink.received()).extracting(m -> m.content().length).containsOnly(2048, 50 * 1024);
    }
  }

  @Test
  void startTlsUpgradesEveryConnectionBeforeTheFirstMessage() throws Exception {
    SslContext tls;
    try (InputStream cert = TlsTesting.loadCert("server1.pem"); InputStream key = TlsTesting.loadCert("server1.key")) {
      tls = SslContextBuilder.forServer(cert, key).build();
    }
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true).withStartTls(tls))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(20).withConcurrency(2)
          .withMessagesPerConnection(5).withTraffic(TrafficOptions.DEFAULTS.withStartTls(true));

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      assertThat(report.allAccepted()).isTrue();
      // Sessions claim messages as they go, so 20 messages at 5 per connection take 4 to 6 connections.
      Map<Integer, List<String>> byConnection = sink.commands().stream().collect(Collectors.groupingBy(
          SinkCommand::connection, Collectors.mapping(c -> c.line().split(" ")[0], Collectors.toList())));
      assertThat(byConnection).hasSizeBetween(4, 6);
      byConnection.values().forEach(verbs -> assertThat(verbs).startsWith("EHLO", "STARTTLS", "EHLO", "MAIL"));
      LoadGeneratorTest.assertReceivedExactly(sink.received(), options, 0, 20);
    }
  }

  @Test
  void startTlsAgainstAServerWithoutItIsAnErrorPerMessage() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults())) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(3).withConcurrency(1)
          .withTraffic(TrafficOptions.DEFAULTS.withStartTls(true));

      LoadReport report = new LoadGenerator(options, CLOCK).run();

      assertThat(report.errors()).isEqualTo(3);
      assertThat(sink.messageCount()).isZero();
    }
  }

  @Test
  void commandLineTakesTheNewOptionsAndPrintsMessagesPerHourInJson() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults())) {
      StringWriter out = new StringWriter();
      int exit = new CommandLine(new LoadGeneratorMain()).setOut(new PrintWriter(out)).execute("--port",
          Integer.toString(sink.port()), "-n", "20", "--size-mix", "4k:90,100k:10", "--domains", "5",
          "--rate", "1000", "--json");

      assertThat(exit).isZero();
      assertThat(out.toString()).contains("\"accepted\":20").containsPattern("\"messages_per_hour\":\\d+");
    }
  }

  @Test
  void sizeAndSizeMixTogetherAreBadUsage() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new LoadGeneratorMain()).setErr(new PrintWriter(err));

    assertThat(cli.execute("--size", "4k", "--size-mix", "4k:1")).isEqualTo(2);
    assertThat(cli.execute("--rate", "-1")).isEqualTo(2);
    assertThat(cli.execute("--domains", "3", "--domain-pattern", "bench.test")).isEqualTo(2);
    assertThat(err.toString()).contains("either --size or --size-mix").contains("rate").contains("{n}");
  }
}
