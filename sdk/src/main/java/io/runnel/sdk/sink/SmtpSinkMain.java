package io.runnel.sdk.sink;

import java.io.IOException;
import io.runnel.sdk.dkim.DkimPublicKey;
import io.runnel.sdk.dkim.DkimVerifier;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
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
    description = "A fast ESMTP sink that accepts, counts and discards mail; it can refuse or stall a share of it, "
        + "check a sample of DKIM signatures and serve its counters as JSON.")
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

  @Option(names = "--tempfail-share", paramLabel = "FRACTION", defaultValue = "0",
      description = "Share of messages answered 451 at end of data, 0 to 1 (default: ${DEFAULT-VALUE}).")
  private double tempfailShare;

  @Option(names = "--permfail-share", paramLabel = "FRACTION", defaultValue = "0",
      description = "Share of messages answered 550 at end of data, 0 to 1 (default: ${DEFAULT-VALUE}).")
  private double permfailShare;

  @Option(names = "--stall-share", paramLabel = "FRACTION", defaultValue = "0",
      description = "Share of messages never answered (the connection then hangs until the client gives up) (default: ${DEFAULT-VALUE}).")
  private double stallShare;

  @Option(names = "--dkim-key", paramLabel = "FILE",
      description = "Check DKIM signatures with this public key: PEM, or the DNS TXT record (v=DKIM1; k=rsa; p=...).")
  private Path dkimKey;

  @Option(names = "--dkim-every", paramLabel = "N", defaultValue = "100",
      description = "With --dkim-key, check every N-th accepted message, starting with the first (default: ${DEFAULT-VALUE}).")
  private int dkimEvery;

  @Option(names = "--stats-port", paramLabel = "PORT",
      description = "Serve the counters as one JSON line to every connection on this port; 0 picks a free one.")
  private Integer statsPort;

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
          .withRecipientPolicy(RecipientPolicy.scripted(parseScripted(scriptedReplies)))
          .withReplyShares(new ReplyShares(tempfailShare, permfailShare, stallShare));
      if (dkimKey != null) {
        options = options.withDkimSample(new DkimSample(new DkimVerifier(DkimPublicKey.read(dkimKey)), dkimEvery));
      }
      if (statsPort != null) options = options.withStatsPort(statsPort);
    } catch (IllegalArgumentException | IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);   // picocli exits 2
    }
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (SmtpSink sink = SmtpSink.start(options)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "runnel-sink-stop"));
      out.printf(Locale.ROOT, "runnel-sink listening on %s:%d%n", options.bindAddress().getHostAddress(), sink.port());
      String host = options.bindAddress().getHostAddress();
      sink.statsPort().ifPresent(p -> out.printf(Locale.ROOT, "runnel-sink stats on %s:%d%n", host, p));
      out.flush();
      long lastCount = 0;
      Duration interval = Duration.ofSeconds(intervalSeconds);
      while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
        SinkStats stats = sink.stats();
        out.println(countLine(stats, (stats.messages() - lastCount) / (double) interval.toSeconds()));
        out.flush();
        lastCount = stats.messages();
      }
      out.println("final " + sink.stats().toJson());
      out.flush();
    }
    return 0;
  }

  /** One progress line: counts, the rate over the last interval, and refusals and DKIM results when there are any. */
  static String countLine(SinkStats s, double ratePerSecond) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "messages %d (+%.1f/s) bytes %d",
        s.messages(), ratePerSecond, s.bytes()));
    if (s.tempfailed() + s.permfailed() + s.stalled() > 0) {
      line.append(String.format(Locale.ROOT, " tempfailed %d permfailed %d stalled %d",
          s.tempfailed(), s.permfailed(), s.stalled()));
    }
    if (s.dkimChecked() > 0) {
      line.append(String.format(Locale.ROOT, " dkim pass %d fail %d none %d", s.dkimPass(), s.dkimFail(), s.dkimNone()));
    }
    return line.toString();
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
