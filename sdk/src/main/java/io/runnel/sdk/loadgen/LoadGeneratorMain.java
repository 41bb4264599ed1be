package io.runnel.sdk.loadgen;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code runnel-loadgen}: exit 0 when every message was accepted, 1 when some were not, 2 on bad usage. */
@Command(name = "runnel-loadgen", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Sends SMTP messages over concurrent sessions and reports accepted messages/s and latency.")
public final class LoadGeneratorMain implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "2525", description = "Server port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(names = {"-n", "--messages"}, paramLabel = "N", defaultValue = "10000",
      description = "Messages to send and report (default: ${DEFAULT-VALUE}).")
  private long messages;

  @Option(names = {"-s", "--size"}, paramLabel = "SIZE", defaultValue = "4KiB", converter = ByteSizeConverter.class,
      description = "Bytes per message, headers included: 4096, 4KiB, 4k, 1MiB (default: ${DEFAULT-VALUE}).")
  private int size;

  @Option(names = "--size-mix", paramLabel = "SIZE:WEIGHT,...",
      description = "Several sizes with their shares instead of --size, e.g. 4k:90,100k:10.")
  private String sizeMix;

  @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Send for this long (after the warm-up) instead of a message count: 30s, 5m.")
  private Duration duration;

  @Option(names = "--rate", paramLabel = "MSG/S", defaultValue = "0",
      description = "Target messages per second over all sessions; 0 sends as fast as replies come (default: ${DEFAULT-VALUE}).")
  private double rate;

  @Option(names = "--domains", paramLabel = "N", defaultValue = "0",
      description = "Spread recipients over N domains named by --domain-pattern; 0 keeps the --to domain (default: ${DEFAULT-VALUE}).")
  private int domains;

  @Option(names = "--domain-pattern", paramLabel = "PATTERN", defaultValue = "d{n}.bench.test",
      description = "Recipient domain with --domains; {n} becomes 0..N-1 (default: ${DEFAULT-VALUE}).")
  private String domainPattern;

  @Option(names = "--starttls", description = "Upgrade each connection with STARTTLS (certificates are not checked).")
  private boolean startTls;

  @Option(names = {"-c", "--concurrency"}, paramLabel = "C", defaultValue = "8",
      description = "Concurrent SMTP sessions (default: ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(names = "--from", paramLabel = "ADDRESS", defaultValue = "loadgen@example.com",
      description = "Envelope sender (default: ${DEFAULT-VALUE}).")
  private String from;

  @Option(names = "--to", paramLabel = "PATTERN", defaultValue = "user%d@example.com",
      description = "Recipient; %%d becomes the message number, or n*R+i with --rcpts R (default: ${DEFAULT-VALUE}).")
  private String to;

  @Option(names = "--rcpts", paramLabel = "R", defaultValue = "1", description = "Recipients per message (default: ${DEFAULT-VALUE}).")
  private int rcpts;

  @Option(names = "--ehlo", paramLabel = "NAME", defaultValue = "loadgen.local", description = "EHLO name (default: ${DEFAULT-VALUE}).")
  private String ehlo;

  @Option(names = "--bdat", description = "Send with BDAT LAST instead of DATA when the server offers CHUNKING.")
  private boolean bdat;

  @Option(names = "--pipeline-depth", paramLabel = "D", defaultValue = "1",
      description = "Messages each session keeps in flight with pipelined BDAT, 1-1024, and at most 256 KiB of "
          + "them unanswered beyond the first. Above 1 needs --bdat (else exit 2); falls back to 1 with a warning "
          + "on stderr when the server lacks PIPELINING or CHUNKING (default: ${DEFAULT-VALUE}).")
  private int pipelineDepth;

  @Option(names = "--messages-per-connection", paramLabel = "M", defaultValue = "0",
      description = "Reconnect after this many messages; 0 keeps one connection (default: ${DEFAULT-VALUE}).")
  private long messagesPerConnection;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "Longest wait for a connection or a reply: 60s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
      description = "Messages sent first and left out of the report (default: ${DEFAULT-VALUE}).")
  private long warmup;

  @Option(names = "--grpc", description = "Inject over gRPC InjectStream to --host:--port (runnel's [grpc] listen) "
      + "instead of SMTP, one stream per session; latency is from handing a message to the stream to its result.")
  private boolean grpc;

  @Option(names = "--tenants", paramLabel = "N", defaultValue = "0",
      description = "With --grpc: message n gets tenant t{k}, k = (n / domains) %% N, so every domain sees every "
          + "tenant; 0 sends none (default: ${DEFAULT-VALUE}).")
  private int tenants;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  private boolean json;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGeneratorMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    LoadGenerator generator;
    try {
      if (sizeMix != null && spec.commandLine().getParseResult().hasMatchedOption("--size")) {
        throw new IllegalArgumentException("give either --size or --size-mix, not both");
      }
      SizeMix sizes = sizeMix != null ? SizeMix.parse(sizeMix) : SizeMix.single(size);
      TrafficOptions traffic = new TrafficOptions(duration == null ? Duration.ZERO : duration, rate, domains,
          domainPattern, startTls);
      if (duration != null && duration.isZero()) throw new IllegalArgumentException("duration must be > 0");
      LoadOptions options = new LoadOptions(host, port, messages, sizes, concurrency, from, to, rcpts, ehlo, bdat,
          messagesPerConnection, timeout, warmup, pipelineDepth, traffic);
      if (tenants != 0 && !grpc) throw new IllegalArgumentException("--tenants needs --grpc");
      PrintWriter err = spec.commandLine().getErr();
      generator = grpc ? LoadGenerator.injecting(options, Clock.systemUTC(), tenants)
          : new LoadGenerator(options, Clock.systemUTC(), warning -> {
            err.println(warning);
            err.flush();
          });
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);   // picocli exits 2
    }
    LoadReport report = generator.run();
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? ReportFormatter.json(report) + System.lineSeparator() : ReportFormatter.text(report));
    out.flush();
    return report.allAccepted() ? 0 : 1;
  }
}
