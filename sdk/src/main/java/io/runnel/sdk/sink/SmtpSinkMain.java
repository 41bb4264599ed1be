package io.runnel.sdk.sink;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code runnel-sink}: runs an {@link SmtpSink} until killed and prints counts every few seconds. */
@Command(name = "runnel-sink", mixinStandardHelpOptions = true, sortOptions = false,
    description = "A fast ESMTP sink that accepts, counts and discards mail.")
public final class SmtpSinkMain implements Callable<Integer> {

  private static final Pattern SCRIPTED = Pattern.compile("([^=\\s]+)=([2-5][0-9][0-9])(?:\\s+(.*))?");

  @Spec
  private CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "2526", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Listen address (default: ${DEFAULT-VALUE}).")
  private String bind;

  @Option(names = "--keep", description = "Keep accepted messages in memory (costs memory, like a real store).")
  private boolean keep;

  @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "67108864", description = "Advertised SIZE (default: ${DEFAULT-VALUE}).")
  private long maxSize;

  @Option(names = "--rcpt-reply", paramLabel = "ADDRESS=CODE [TEXT]",
      description = "Scripted RCPT reply, e.g. 'bad@example.com=550 5.1.1 No such user'; repeatable.")
  private List<String> scriptedReplies = List.of();

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5", description = "Seconds between count lines (default: ${DEFAULT-VALUE}).")
  private int intervalSeconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SmtpSinkMain()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    SinkOptions options;
    try {
      if (intervalSeconds < 1) throw new IllegalArgumentException("interval must be >= 1 second");
      options = SinkOptions.defaults()
          .withBindAddress(InetAddress.getByName(bind))
          .withPort(port)
          .keepingMessages(keep)
          .withMaxMessageSize(maxSize)
          .withRecipientPolicy(RecipientPolicy.scripted(parseScripted(scriptedReplies)));
    } catch (IllegalArgumentException | IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);   // picocli exits 2
    }
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (SmtpSink sink = SmtpSink.start(options)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "runnel-sink-stop"));
      out.printf(Locale.ROOT, "runnel-sink listening on %s:%d%n", options.bindAddress().getHostAddress(), sink.port());
      out.flush();
      long lastCount = 0;
      Duration interval = Duration.ofSeconds(intervalSeconds);
      while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
        long count = sink.messageCount();
        out.printf(Locale.ROOT, "messages %d (+%.1f/s) bytes %d%n", count,
            (count - lastCount) / (double) interval.toSeconds(), sink.byteCount());
        out.flush();
        lastCount = count;
      }
    }
    return 0;
  }

  static Map<String, SinkReply> parseScripted(List<String> specs) {
    Map<String, SinkReply> replies = new LinkedHashMap<>();
    for (String s : specs) {
      Matcher m = SCRIPTED.matcher(s.trim());
      if (!m.matches()) throw new IllegalArgumentException("expected ADDRESS=CODE [TEXT]: " + s);
      int code = Integer.parseInt(m.group(2));
      String text = m.group(3) != null ? m.group(3) : code / 100 + ".0.0 Scripted reply";
      replies.put(m.group(1), SinkReply.of(code, text));
    }
    return replies;
  }
}
