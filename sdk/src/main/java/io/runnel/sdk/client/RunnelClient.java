package io.runnel.sdk.client;

import com.google.protobuf.util.Durations;
import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.runnel.grpc.v1.AdminBounceRequest;
import io.runnel.grpc.v1.AdminBounceResponse;
import io.runnel.grpc.v1.AdminBounceRule;
import io.runnel.grpc.v1.AdminServiceGrpc;
import io.runnel.grpc.v1.CancelBounceRequest;
import io.runnel.grpc.v1.DrainRequest;
import io.runnel.grpc.v1.DrainResponse;
import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectResponse;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.grpc.v1.InjectionServiceGrpc;
import io.runnel.grpc.v1.InspectMessageRequest;
import io.runnel.grpc.v1.ListBouncesRequest;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.ListMessagesResponse;
import io.runnel.grpc.v1.ListSuspensionsRequest;
import io.runnel.grpc.v1.MessageDetail;
import io.runnel.grpc.v1.MessageSummary;
import io.runnel.grpc.v1.QueueServiceGrpc;
import io.runnel.grpc.v1.RebindRequest;
import io.runnel.grpc.v1.ReloadConfigRequest;
import io.runnel.grpc.v1.ReloadConfigResponse;
import io.runnel.grpc.v1.ResumeRequest;
import io.runnel.grpc.v1.RetryNowRequest;
import io.runnel.grpc.v1.Selector;
import io.runnel.grpc.v1.SessionEvent;
import io.runnel.grpc.v1.SetLogLevelRequest;
import io.runnel.grpc.v1.SetLogLevelResponse;
import io.runnel.grpc.v1.StatusRequest;
import io.runnel.grpc.v1.StatusResponse;
import io.runnel.grpc.v1.SummaryRequest;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.grpc.v1.SuspendRequest;
import io.runnel.grpc.v1.SuspendResponse;
import io.runnel.grpc.v1.Suspension;
import io.runnel.grpc.v1.TraceSessionsRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Java client of Runnel's control plane (package {@code runnel.v1}): queue control, injection and
 * administration. Every unary call gets the builder's deadline; a failed call throws {@link RunnelClientException}
 * with its gRPC status code. Thread-safe; close it to shut the channel down.
 *
 * <pre>{@code
 * try (RunnelClient runnel = RunnelClient.builder().target("10.0.0.5:8901").trustCertificates(ca).bearerToken(t).build()) {
 *   runnel.suspend(Selector.newBuilder().setTenant("acme").build(), "complaint spike", Duration.ofHours(2));
 * }
 * }</pre>
 */
public final class RunnelClient implements AutoCloseable {

  /** The daemon's default {@code [grpc] listen} port. */
  public static final int DEFAULT_PORT = 8901;
  public static final String DEFAULT_TARGET = "127.0.0.1:" + DEFAULT_PORT;
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final ManagedChannel channel;
  private final Duration callTimeout;
  private final QueueServiceGrpc.QueueServiceBlockingStub queues;
  private final InjectionServiceGrpc.InjectionServiceBlockingStub injection;
  private final InjectionServiceGrpc.InjectionServiceStub injectionStreams;
  private final AdminServiceGrpc.AdminServiceBlockingStub admin;
  private final HealthGrpc.HealthBlockingStub health;

  private RunnelClient(ManagedChannel channel, Duration callTimeout) {
    this.channel = channel;
    this.callTimeout = callTimeout;
    this.queues = QueueServiceGrpc.newBlockingStub(channel);
    this.injection = InjectionServiceGrpc.newBlockingStub(channel);
    this.injectionStreams = InjectionServiceGrpc.newStub(channel);
    this.admin = AdminServiceGrpc.newBlockingStub(channel);
    this.health = HealthGrpc.newBlockingStub(channel);
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---- QueueService

  /** Queued messages counted by the given dimensions (none: one row for all), only those matching {@code filter}. */
  public SummaryResponse summary(List<GroupBy> groupBy, Selector filter) {
    SummaryRequest request = SummaryRequest.newBuilder().addAllGroupBy(groupBy).setFilter(filter).build();
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).summary(request));
  }

  /** One page of queued messages; pass {@code next_page_token} back for the next. */
  public ListMessagesResponse listMessages(ListMessagesRequest request) {
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).listMessages(request));
  }

  /** Every matching queued message, oldest first, fetching pages (each within the deadline) as the caller reads. */
  public Iterator<MessageSummary> messages(ListMessagesRequest request) {
    return new Iterator<>() {
      private Iterator<MessageSummary> page = List.<MessageSummary>of().iterator();
      private String token = request.getPageToken();
      private boolean last;

      @Override
      public boolean hasNext() {
        while (!page.hasNext() && !last) {
          ListMessagesResponse response = listMessages(request.toBuilder().setPageToken(token).build());
          page = response.getMessagesList().iterator();
          token = response.getNextPageToken();
          last = token.isEmpty();
        }
        return page.hasNext();
      }

      @Override
      public MessageSummary next() {
        if (!hasNext()) throw new NoSuchElementException();
        return page.next();
      }
    };
  }

  /** What the spool holds about one message; NOT_FOUND for an unknown id. */
  public MessageDetail inspect(String id, boolean includeHeaders) {
    InspectMessageRequest request = InspectMessageRequest.newBuilder().setId(id).setIncludeHeaders(includeHeaders).build();
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).inspectMessage(request).getMessage());
  }

  /** Holds matching mail; empty {@code duration}: until resumed. */
  public SuspendResponse suspend(Selector selector, String reason, Optional<Duration> duration) {
    SuspendRequest.Builder request = SuspendRequest.newBuilder().setSelector(selector).setReason(reason);
    duration.ifPresent(d -> request.setDuration(toProto(d)));
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).suspend(request.build()));
  }

  /** Ends one suspension by id; NOT_FOUND for an unknown id. */
  public List<Suspension> resume(String id) {
    return resume(ResumeRequest.newBuilder().setId(id).build());
  }

  /** Ends every suspension with exactly this selector. */
  public List<Suspension> resume(Selector selector) {
    return resume(ResumeRequest.newBuilder().setSelector(selector).build());
  }

  private List<Suspension> resume(ResumeRequest request) {
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).resume(request).getResumedList());
  }

  public List<Suspension> suspensions() {
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS)
        .listSuspensions(ListSuspensionsRequest.getDefaultInstance()).getSuspensionsList());
  }

  /** Bounces matching mail now, and new matching mail for {@code duration} (empty: only what is queued now). */
  public AdminBounceResponse bounce(Selector selector, String reason, Optional<Duration> duration, boolean suppressDsn) {
    AdminBounceRequest.Builder request = AdminBounceRequest.newBuilder().setSelector(selector).setReason(reason)
        .setSuppressDsn(suppressDsn);
    duration.ifPresent(d -> request.setDuration(toProto(d)));
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).adminBounce(request.build()));
  }

  public List<AdminBounceRule> bounces() {
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS)
        .listBounces(ListBouncesRequest.getDefaultInstance()).getBouncesList());
  }

  /** Ends an admin bounce rule; NOT_FOUND for an unknown id. */
  public AdminBounceRule cancelBounce(String id) {
    CancelBounceRequest request = CancelBounceRequest.newBuilder().setId(id).build();
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).cancelBounce(request).getCancelled());
  }

  /**
   * Moves matching mail to another tenant and/or campaign; an empty Optional keeps the current value, an empty
   * string removes it. Returns the number of messages moved.
   */
  public long rebind(Selector selector, Optional<String> tenant, Optional<String> campaign, boolean retryNow) {
    RebindRequest.Builder request = RebindRequest.newBuilder().setSelector(selector).setRetryNow(retryNow);
    tenant.ifPresent(request::setTenant);
    campaign.ifPresent(request::setCampaign);
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).rebind(request.build()).getRebound());
  }

  /** Makes matching deferred mail due now (empty selector: all); returns how many messages. */
  public long retryNow(Selector selector) {
    RetryNowRequest request = RetryNowRequest.newBuilder().setSelector(selector).build();
    return call(() -> queues.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).retryNow(request).getScheduled());
  }

  // ---- InjectionService

  /** Injects one message; returns once it is committed to the spool. */
  public InjectResponse inject(InjectRequest request) {
    return call(() -> injection.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).inject(request));
  }

  /**
   * Injects many messages over one stream, sending only as fast as the server reads (the iterator is pulled on
   * gRPC's threads) and handing each result, in request order, to {@code onResult}. Blocks until the server has
   * answered every request. No deadline: a stream lasts as long as its input.
   */
  public void injectAll(Iterator<InjectRequest> requests, Consumer<InjectResult> onResult) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    injectionStreams.injectStream(new ClientResponseObserver<InjectRequest, InjectResult>() {
      private boolean completed;

      @Override
      public void beforeStart(ClientCallStreamObserver<InjectRequest> out) {
        out.setOnReadyHandler(() -> {
          try {
            while (out.isReady() && !completed && requests.hasNext()) {
              out.onNext(requests.next());
            }
            if (!completed && !requests.hasNext()) {
              completed = true;
              out.onCompleted();
            }
          } catch (RuntimeException e) {
            completed = true;
            out.cancel("the requests could not be read", e);
            done.completeExceptionally(e);
          }
        });
      }

      @Override
      public void onNext(InjectResult result) {
        onResult.accept(result);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunnelClientException(io.grpc.Status.Code.CANCELLED, "interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) throw RunnelClientException.of(s);
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    }
  }

  /** {@link #injectAll(Iterator, Consumer)} collecting the results. */
  public List<InjectResult> injectAll(Iterable<InjectRequest> requests) {
    List<InjectResult> results = new ArrayList<>();
    injectAll(requests.iterator(), results::add);
    return results;
  }

  // ---- AdminService

  public StatusResponse status() {
    return call(() -> admin.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).status(StatusRequest.getDefaultInstance()));
  }

  /** Asks for a reload; a refused one is an answer ({@code applied} false, {@code errors} say why), not an exception. */
  public ReloadConfigResponse reloadConfig() {
    return call(() -> admin.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS)
        .reloadConfig(ReloadConfigRequest.getDefaultInstance()));
  }

  /** Sets a logger's level ("" logger: root; "" level: inherit), for {@code duration} only when given. */
  public SetLogLevelResponse setLogLevel(String logger, String level, Optional<Duration> duration) {
    SetLogLevelRequest.Builder request = SetLogLevelRequest.newBuilder().setLogger(logger).setLevel(level);
    duration.ifPresent(d -> request.setDuration(toProto(d)));
    return call(() -> admin.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).setLogLevel(request.build()));
  }

  /** Live session events until the returned stream is closed. No deadline. */
  public EventStream<SessionEvent> trace(TraceSessionsRequest request) {
    Context.CancellableContext context = Context.current().withCancellation();
    try {
      Iterator<SessionEvent> events = context.call(() -> admin.traceSessions(request));
      return new EventStream<>(context, events);
    } catch (StatusRuntimeException e) {
      context.cancel(e);
      throw RunnelClientException.of(e);
    } catch (Exception e) {
      context.cancel(e);
      throw new IllegalStateException(e);
    }
  }

  /** Stops accepting mail and waits up to {@code wait} for sessions in flight; the deadline covers the wait. */
  public DrainResponse drain(Duration wait) {
    DrainRequest request = DrainRequest.newBuilder().setTimeout(toProto(wait)).build();
    long deadline = millis() + wait.toMillis();
    return call(() -> admin.withDeadlineAfter(deadline, TimeUnit.MILLISECONDS).drain(request));
  }

  /** The standard gRPC health check ({@code grpc.health.v1}); {@code service} "" asks about the server. */
  public HealthCheckResponse.ServingStatus health(String service) {
    HealthCheckRequest request = HealthCheckRequest.newBuilder().setService(service).build();
    return call(() -> health.withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).check(request).getStatus());
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) channel.shutdownNow();
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private long millis() {
    return callTimeout.toMillis();
  }

  private static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw RunnelClientException.of(e);
    }
  }

  static com.google.protobuf.Duration toProto(Duration d) {
    return Durations.fromNanos(d.toNanos());
  }

  /** Where and how to connect. Plaintext unless a CA, a client certificate or {@link #tls()} is given. */
  public static final class Builder {
    private String target = DEFAULT_TARGET;
    private boolean tls;
    private Path trustCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private String bearerToken;
    private String tlsServerName;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;

    private Builder() {
    }

    /** {@code host:port} (IPv6: {@code [::1]:8901}) or any gRPC target URI. */
    public Builder target(String target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** TLS, trusting the JVM's default CA certificates unless {@link #trustCertificates} names others. */
    public Builder tls() {
      this.tls = true;
      return this;
    }

    /** TLS, trusting the PEM CA certificates in this file (the server's own certificate if self-signed). */
    public Builder trustCertificates(Path caFile) {
      this.trustCertificates = Objects.requireNonNull(caFile, "caFile");
      this.tls = true;
      return this;
    }

    /** TLS with this PEM client certificate chain and PKCS#8 key (the daemon's client_ca_file checks it). */
    public Builder clientCertificate(Path certificateFile, Path keyFile) {
      this.clientCertificate = Objects.requireNonNull(certificateFile, "certificateFile");
      this.clientKey = Objects.requireNonNull(keyFile, "keyFile");
      this.tls = true;
      return this;
    }

    /** The name the server's certificate must carry when it differs from the target's host (connecting by IP). */
    public Builder tlsServerName(String name) {
      this.tlsServerName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Sent as {@code authorization: Bearer <token>} with every call. */
    public Builder bearerToken(String token) {
      this.bearerToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /** Deadline of each unary call (default 30 s); Drain adds its own wait. */
    public Builder callTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("call timeout must be positive");
      this.callTimeout = timeout;
      return this;
    }

    public RunnelClient build() {
      ManagedChannelBuilder<?> channel = Grpc.newChannelBuilder(target, credentials());
      if (bearerToken != null) channel.intercept(new BearerTokenInterceptor(bearerToken));
      if (tlsServerName != null) channel.overrideAuthority(tlsServerName);
      return new RunnelClient(channel.build(), callTimeout);
    }

    private ChannelCredentials credentials() {
      if (!tls) return InsecureChannelCredentials.create();
      try {
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
        if (trustCertificates != null) credentials.trustManager(trustCertificates.toFile());
        if (clientCertificate != null) credentials.keyManager(clientCertificate.toFile(), clientKey.toFile());
        return credentials.build();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read TLS material: " + e.getMessage(), e);
      }
    }
  }
}
