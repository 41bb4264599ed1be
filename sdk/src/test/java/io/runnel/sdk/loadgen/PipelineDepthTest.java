package io.runnel.sdk.loadgen;

import static io.runnel.sdk.loadgen.LoadGeneratorTest.CLOCK;
import static io.runnel.sdk.loadgen.LoadGeneratorTest.assertReceivedExactly;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PipelineDepthTest {

  private static final Duration GENEROUS = Duration.ofSeconds(60);

  @Test
  void depthEightDeliversEveryMessageOnceAndByteExact() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(600).withConcurrency(2)
          .withBdat(true).withPipelineDepth(8);

      LoadReport report = assertTimeoutPreemptively(GENEROUS, () -> new LoadGenerator(options, CLOCK).run());

      assertThat(report.accepted()).isEqualTo(600);
      assertThat(report.allAccepted()).isTrue();
      assertThat(report.latency().count()).isEqualTo(600);
      assertThat(report.pipelineDepth()).isEqualTo(8);
      assertThat(sink.messageCount()).isEqualTo(600);
      assertReceivedExactly(sink.received(), options, 0, 600);
    }
  }

  @Test
  void messagesPerConnectionDrainsThePipelineBeforeQuit() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(97).withWarmup(10).withConcurrency(3)
          .withMessagesPerConnection(7).withBdat(true).withPipelineDepth(5);

      LoadReport report = assertTimeoutPreemptively(GENEROUS, () -> new LoadGenerator(options, CLOCK).run());

      assertThat(report.accepted()).isEqualTo(97);
      assertThat(report.errors()).isZero();
      assertReceivedExactly(sink.received(), options, 0, 107);
    }
  }

  @Test
  void refusedRecipientsUnderDepthFourAreCountedExactly() throws Exception {
    Map<String, SinkReply> script = new HashMap<>();
    for (int i = 0; i < 60; i += 4) script.put("user" + i + "@example.com", SinkReply.of(550, "5.1.1 No such user"));
    script.put("user3@example.com", SinkReply.of(451, "4.3.0 Try later"));
    script.put("user5@example.com", SinkReply.of(451, "4.3.0 Try later"));
    SinkOptions sinkOptions = SinkOptions.defaults().keepingMessages(true)
        .withRecipientPolicy(RecipientPolicy.scripted(script));
    try (SmtpSink sink = SmtpSink.start(sinkOptions)) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(60).withConcurrency(2)
          .withBdat(true).withPipelineDepth(4);

      LoadReport report = assertTimeoutPreemptively(GENEROUS, () -> new LoadGenerator(options, CLOCK).run());

      // A message whose only recipient was refused leaves its envelope open on the sink: the RSET that leads
      // the next message keeps that from spoiling the messages pipelined behind it.
      assertThat(report.accepted()).isEqualTo(43);
      assertThat(report.rejected()).containsExactly(Map.entry(451, 2L), Map.entry(550, 15L));
      assertThat(report.errors()).isZero();
      assertThat(sink.messageCount()).isEqualTo(43);
      assertThat(sink.received()).flatExtracting(ReceivedMessage::recipients).hasSize(43)
          .doesNotHaveDuplicates().doesNotContain("user0@example.com", "user3@example.com", "user56@example.com");
    }
  }

  @Test
  void refusedMailCountsTheMessageOnceByTheMailReply() throws Exception {
    // Every MAIL is refused for SIZE; the RCPT and BDAT replies pipelined behind it are 503s.
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withMaxMessageSize(1000))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(30).withConcurrency(2)
          .withRecipients("user%d@example.com", 2).withBdat(true).withPipelineDepth(4);

      LoadReport report = assertTimeoutPreemptively(GENEROUS, () -> new LoadGenerator(options, CLOCK).run());

      assertThat(report.accepted()).isZero();
      assertThat(report.rejected()).containsExactly(Map.entry(552, 30L));
      assertThat(report.rejectedRecipients()).isEmpty();
      assertThat(report.errors()).isZero();
      assertThat(sink.messageCount()).isZero();
    }
  }

  @Test
  void oneMebibyteMessagesAtDepthFourDoNotDeadlock() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
      LoadOptions options = LoadOptions.defaults(sink.port()).withMessages(16).withConcurrency(2)
          .withSize(1 << 20).withBdat(true).withPipelineDepth(4);

      LoadReport report = assertTimeoutPreemptively(Duration.ofSeconds(120),
          () -> new LoadGenerator(options, CLOCK).run());

      assertThat(report.accepted()).isEqualTo(16);
      assertThat(report.acceptedBytes()).isEqualTo(16L << 20);
      assertThat(sink.byteCount()).isEqualTo(16L << 20);
      assertReceivedExactly(sink.received(), options, 0, 16);
    }
  }

  @Test
  void serverThatAnswersOnlyAfterFourMessagesGetsFourMessagesAtDepthFour() throws Exception {
    // Holds every reply until four whole messages arrived: a session that waits between messages never gets one.
    try (ScriptedServer server = new ScriptedServer((in, out) -> serve(in, out, "PIPELINING", "CHUNKING", 4))) {
      LoadOptions options = LoadOptions.defaults(server.port()).withMessages(4).withConcurrency(1)
          .withBdat(true).withPipelineDepth(4);

      LoadReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> new LoadGenerator(options, CLOCK).run());

      assertThat(report.accepted()).isEqualTo(4);
      assertThat(report.errors()).isZero();
      server.assertNoFailures();
    }
  }

  @Test
  void brokenReplyCostsEveryMessageInFlightAndTheSessionReconnects() throws Exception {
    ScriptedServer.Script garbageAfterThree = (in, out) -> {
      greet(in, out, "PIPELINING", "CHUNKING");
      for (int i = 0; i < 3; i++) readMessage(in);
      write(out, "250 2.1.0 Ok\r\nthis is not a reply\r\n");
      in.transferTo(OutputStream.nullOutputStream());   // until the session hangs up
    };
    ScriptedServer.Script fine = (in, out) -> serve(in, out, "PIPELINING", "CHUNKING", 0);
    try (ScriptedServer server = new ScriptedServer(garbageAfterThree, fine)) {
      LoadOptions options = LoadOptions.defaults(server.port()).withMessages(5).withConcurrency(1)
          .withBdat(true).withPipelineDepth(3);

      LoadReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> new LoadGenerator(options, CLOCK).run());

      assertThat(report.errors()).isEqualTo(3);
      assertThat(report.accepted()).isEqualTo(2);
      assertThat(report.rejected()).isEmpty();
      server.assertNoFailures();
    }
  }

  @Test
  void serverWithoutPipeliningFallsBackToOneMessageWithOneWarning() throws Exception {
    try (ScriptedServer server = new ScriptedServer((in, out) -> serve(in, out, "CHUNKING", "SIZE 100000000", 0))) {
      LoadOptions options = LoadOptions.defaults(server.port()).withMessages(6).withConcurrency(1)
          .withBdat(true).withPipelineDepth(4);
      Queue<String> warnings = new ConcurrentLinkedQueue<>();

      LoadReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> new LoadGenerator(options, CLOCK, warnings::add).run());

      assertThat(report.accepted()).isEqualTo(6);
      assertThat(warnings).singleElement().asString().contains("falls back to 1");
      server.assertNoFailures();
    }
  }

  @Test
  void depthAboveOneWithoutBdatIsBadUsage() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new LoadGeneratorMain()).setErr(new PrintWriter(err));

    assertThat(cli.execute("--pipeline-depth", "4")).isEqualTo(2);
    assertThat(err.toString()).contains("pipeline-depth above 1 needs --bdat");
    assertThat(cli.execute("--pipeline-depth", "0", "--bdat")).isEqualTo(2);
    assertThat(cli.execute("--pipeline-depth", "1025", "--bdat")).isEqualTo(2);
    assertThat(err.toString()).contains("pipeline-depth must be 1-1024");
    assertThat(cli.getUsageMessage()).contains("--pipeline-depth=D");
  }

  @Test
  void reportShowsTheDepth() throws Exception {
    try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults())) {
      StringWriter out = new StringWriter();
      CommandLine cli = new CommandLine(new LoadGeneratorMain()).setOut(new PrintWriter(out));
      String port = Integer.toString(sink.port());

      assertThat(cli.execute("--port", port, "-n", "40", "-s", "1KiB", "--bdat", "--pipeline-depth", "6")).isZero();
      assertThat(cli.execute("--port", port, "-n", "40", "-s", "1KiB", "--bdat", "--pipeline-depth", "6", "--json"))
          .isZero();

      assertThat(out.toString()).containsPattern("pipeline depth\\s+6").contains("\"pipeline_depth\":6,")
          .contains("\"accepted\":40,");
    }
  }

  /** Greets, then answers 250 to every command (reading each BDAT chunk), holding the replies back until
   * {@code holdMessages} whole messages arrived; answers QUIT with 221. */
  private static void serve(InputStream in, OutputStream out, String ext1, String ext2, int holdMessages)
      throws IOException {
    greet(in, out, ext1, ext2);
    StringBuilder held = new StringBuilder();
    int messages = 0;
    for (String line = readLine(in); line != null; line = readLine(in)) {
      if (line.equals("QUIT")) {
        write(out, held + "221 2.0.0 Bye\r\n");
        return;
      }
      if (line.startsWith("BDAT ")) {
        byte[] chunk = in.readNBytes(Integer.parseInt(line.split(" ")[1]));
        held.append("250 2.0.0 Ok: ").append(chunk.length).append(" octets\r\n");
        messages++;
      } else {
        held.append("250 2.0.0 Ok\r\n");
      }
      if (messages >= holdMessages) {
        write(out, held.toString());
        held.setLength(0);
      }
    }
  }

  private static void greet(InputStream in, OutputStream out, String ext1, String ext2) throws IOException {
    write(out, "220 scripted ESMTP\r\n");
    assertThat(readLine(in)).startsWith("EHLO ");
    write(out, "250-scripted\r\n250-" + ext1 + "\r\n250 " + ext2 + "\r\n");
  }

  /** Reads the commands of one pipelined message up to and including its BDAT LAST chunk. */
  private static void readMessage(InputStream in) throws IOException {
    for (String line = readLine(in); line != null; line = readLine(in)) {
      if (line.startsWith("BDAT ")) {
        in.readNBytes(Integer.parseInt(line.split(" ")[1]));
        return;
      }
    }
    throw new IOException("connection closed mid-message");
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, US_ASCII);   // drops the CR
      }
      line.write(b);
    }
    return null;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(US_ASCII));
    out.flush();
  }

  /** Serves one connection per script, in order, on one thread; failures surface in the test. */
  private static final class ScriptedServer implements AutoCloseable {

    @FunctionalInterface
    interface Script {
      void run(InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket listener;
    private final Thread thread;
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    ScriptedServer(Script... scripts) throws IOException {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        for (Script script : List.of(scripts)) {
          try (Socket s = listener.accept()) {
            script.run(new BufferedInputStream(s.getInputStream()), s.getOutputStream());
          } catch (IOException | RuntimeException | AssertionError e) {
            if (!listener.isClosed()) failures.add(e);
            return;
          }
        }
      }, "scripted-smtp-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    void assertNoFailures() {
      assertThat(failures).isEmpty();
    }

    @Override
    public void close() throws Exception {
      listener.close();
      thread.join(5_000);
    }
  }
}
