package io.runnel.sdk.loadgen;

import io.runnel.sdk.client.RunnelClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends {@link LoadOptions#messages()} messages over {@link LoadOptions#concurrency()} SMTP sessions (or gRPC
 * injection streams, {@link #injecting}) and
 * reports what the server accepted. One platform thread with a blocking socket per session keeps the client
 * simple and its latency honest. Warm-up messages go first, in their own phase, and are not reported.
 */
public final class LoadGenerator {

  /** Header room a timed run is checked for: a run would need days to number this many messages. */
  private static final long TIMED_RUN_NUMBERS = 999_999_999_999L;

  private final LoadOptions options;
  private final MessageFactory messages;
  private final LongSupplier nanoTime;
  private final Consumer<String> warnings;
  private final AtomicBoolean depthFallbackWarned = new AtomicBoolean();
  private final Optional<SSLSocketFactory> tls;
  /** Empty: SMTP sessions; present: gRPC InjectStream sessions with this many tenants (0: none). */
  private final OptionalInt injectionTenants;

  /** Warnings go to standard error. */
  public LoadGenerator(LoadOptions options, Clock clock) {
    this(options, clock, System.err::println);
  }

  /**
   * @param clock    sets the Date and Message-ID headers; latency always uses {@link System#nanoTime()}
   * @param warnings receives each warning once per run, e.g. that the server cannot pipeline BDAT
   * @throws IllegalArgumentException when the message size cannot hold the headers
   */
  public LoadGenerator(LoadOptions options, Clock clock, Consumer<String> warnings) {
    this(options, clock, warnings, OptionalInt.empty());
  }

  /**
   * Sends the same messages over gRPC {@code InjectStream} to the options' host and port (runnel's {@code [grpc]
   * listen}) instead of SMTP: one stream per session. With {@code tenants} above 0, message {@code n} carries tenant
   * {@code t{k}}, {@code k = (n / domains) % tenants}, so every recipient domain sees every tenant.
   */
  public static LoadGenerator injecting(LoadOptions options, Clock clock, int tenants) {
    if (tenants < 0) throw new IllegalArgumentException("tenants must be >= 0: " + tenants);
    if (options.traffic().startTls() || options.bdat() || options.pipelineDepth() > 1) {
      throw new IllegalArgumentException("STARTTLS, BDAT and pipelining are SMTP options, not for gRPC injection");
    }
    return new LoadGenerator(options, clock, System.err::println, OptionalInt.of(tenants));
  }

  private LoadGenerator(LoadOptions options, Clock clock, Consumer<String> warnings, OptionalInt injectionTenants) {
    this.options = options;
    this.injectionTenants = injectionTenants;
    this.messages = new MessageFactory(options, clock);
    this.nanoTime = System::nanoTime;
    this.warnings = warnings;
    this.tls = options.traffic().startTls() ? Optional.of(InsecureTls.socketFactory()) : Optional.empty();
    // The last message has the longest numbers in its headers: if it fits in the smallest size, every message fits.
    long last = options.traffic().timed() ? TIMED_RUN_NUMBERS : options.totalMessages() - 1;
    new MessageFactory(options.withSizes(SizeMix.single(options.sizes().smallest())), clock).message(last);
  }

  /**
   * Runs to completion (the message count, or the duration of a timed run); connection failures and rejections
   * end up in the report, never as exceptions.
   */
  public LoadReport run() throws InterruptedException {
    if (options.warmupMessages() > 0) runPhase(MessageSequence.counted(0, options.warmupMessages(), pacer()));
    long start = nanoTime.getAsLong();
    long cpuStart = ProcessCpu.nanos();
    TrafficOptions traffic = options.traffic();
    MessageSequence measured = traffic.timed()
        ? MessageSequence.timed(options.warmupMessages(), start + traffic.duration().toNanos(), nanoTime, pacer())
        : MessageSequence.counted(options.warmupMessages(), options.messages(), pacer());
    List<SessionStats> sessions = runPhase(measured);
    Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
    Duration cpu = Duration.ofNanos(Math.max(0, ProcessCpu.nanos() - cpuStart));
    return LoadReport.merge(measured.claimed(), options.pipelineDepth(), sessions, elapsed, cpu);
  }

  private Pacer pacer() {
    return options.traffic().ratePerSecond() > 0 ? Pacer.atRate(options.traffic().ratePerSecond(), nanoTime)
        : Pacer.UNLIMITED;
  }

  private List<SessionStats> runPhase(MessageSequence sequence) throws InterruptedException {
    TransactionSender sender = new TransactionSender(options.bdat(), nanoTime);
    int sessions = (int) Math.min(options.concurrency(), sequence.limit());
    List<SessionStats> stats = new ArrayList<>(sessions);
    List<Thread> threads = new ArrayList<>(sessions);
    Queue<Throwable> crashes = new ConcurrentLinkedQueue<>();
    Optional<RunnelClient> client = injectionTenants.isPresent()
        ? Optional.of(RunnelClient.builder().target(options.host() + ":" + options.port()).build()) : Optional.empty();
    for (int i = 0; i < sessions; i++) {
      SessionStats s = new SessionStats();
      stats.add(s);
      Runnable runner = client.isPresent()
          ? new GrpcInjection(client.get(), messages, sequence, s, nanoTime, injectionTenants.getAsInt(),
              options.traffic().domains())
          : new SmtpSessionRunner(options, messages, sequence, sender, s, nanoTime, this::depthFallback, tls);
      Thread t = new Thread(runner, "loadgen-session-" + i);
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> crashes.add(e));
      threads.add(t);
    }
    threads.forEach(Thread::start);
    try {
      for (Thread t : threads) t.join();
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      throw e;
    } finally {
      client.ifPresent(RunnelClient::close);
    }
    if (!crashes.isEmpty()) throw new IllegalStateException("a session thread crashed", crashes.peek());
    return stats;
  }

  private void depthFallback() {
    if (depthFallbackWarned.compareAndSet(false, true)) {
      warnings.accept("warning: the server does not offer both PIPELINING and CHUNKING; --pipeline-depth "
          + options.pipelineDepth() + " falls back to 1 message at a time");
    }
  }
}
