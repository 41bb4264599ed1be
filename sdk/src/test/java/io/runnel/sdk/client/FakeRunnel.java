package io.runnel.sdk.client;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.TlsTesting;
import io.runnel.grpc.v1.AdminBounceRequest;
import io.runnel.grpc.v1.AdminBounceResponse;
import io.runnel.grpc.v1.AdminBounceRule;
import io.runnel.grpc.v1.AdminServiceGrpc;
import io.runnel.grpc.v1.CancelBounceRequest;
import io.runnel.grpc.v1.CancelBounceResponse;
import io.runnel.grpc.v1.DrainRequest;
import io.runnel.grpc.v1.DrainResponse;
import io.runnel.grpc.v1.InjectError;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectResponse;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.grpc.v1.InjectionServiceGrpc;
import io.runnel.grpc.v1.InspectMessageRequest;
import io.runnel.grpc.v1.InspectMessageResponse;
import io.runnel.grpc.v1.ListBouncesRequest;
import io.runnel.grpc.v1.ListBouncesResponse;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.ListMessagesResponse;
import io.runnel.grpc.v1.ListSuspensionsRequest;
import io.runnel.grpc.v1.ListSuspensionsResponse;
import io.runnel.grpc.v1.MessageDetail;
import io.runnel.grpc.v1.MessageSummary;
import io.runnel.grpc.v1.QueueServiceGrpc;
import io.runnel.grpc.v1.RebindRequest;
import io.runnel.grpc.v1.RebindResponse;
import io.runnel.grpc.v1.ReloadConfigRequest;
import io.runnel.grpc.v1.ReloadConfigResponse;
import io.runnel.grpc.v1.ResumeRequest;
import io.runnel.grpc.v1.ResumeResponse;
import io.runnel.grpc.v1.RetryNowRequest;
import io.runnel.grpc.v1.RetryNowResponse;
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
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the daemon's network peer: the three runnel.v1 services and grpc.health.v1 on a real loopback
 * socket, with in-memory suspensions, bounce rules and messages, recording every request so tests can check what
 * the client sent. Errors follow the protos (NOT_FOUND for unknown ids, INVALID_ARGUMENT for bad values).
 */
public final class FakeRunnel implements AutoCloseable {

  public static final Timestamp CREATED = Timestamp.newBuilder().setSeconds(1_800_000_000L).build();

  /** Every request received, in order. */
  public final List<Message> requests = new CopyOnWriteArrayList<>();
  /** The authorization header of the last call, if any. */
  public final AtomicReference<String> authorization = new AtomicReference<>();
  /** The deadline of the last call, if any. */
  public final AtomicReference<Deadline> deadline = new AtomicReference<>();
  /** The next call fails with this status (then it is cleared). */
  public final AtomicReference<Status> failNext = new AtomicReference<>();
  public final AtomicBoolean traceCancelled = new AtomicBoolean();
  public final HealthStatusManager health = new HealthStatusManager();

  public final Map<String, MessageDetail> messages = new LinkedHashMap<>();
  public volatile SummaryResponse summary = SummaryResponse.getDefaultInstance();
  public volatile StatusResponse status = StatusResponse.getDefaultInstance();
  public volatile ReloadConfigResponse reload = ReloadConfigResponse.newBuilder().setApplied(true).build();
  public volatile DrainResponse drain = DrainResponse.newBuilder().setDrained(true).build();
  public volatile long rebound;
  public volatile long retried;
  /** Messages listed per page at most (the request's page_size may be smaller). */
  public volatile int pageSize = 2;

  private final Map<String, Suspension> suspensions = new LinkedHashMap<>();
  private final Map<String, AdminBounceRule> bounces = new LinkedHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final Optional<String> token;
  private final Server server;

  private FakeRunnel(Optional<String> token, ServerCredentials credentials) throws IOException {
    this.token = token;
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
        .addService(ServerInterceptors.intercept(new Queue(), new Gate()))
        .addService(ServerInterceptors.intercept(new Injection(), new Gate()))
        .addService(ServerInterceptors.intercept(new Admin(), new Gate()))
        .addService(health.getHealthService())
        .build().start();
  }

  public static FakeRunnel plaintext() throws IOException {
    return new FakeRunnel(Optional.empty(), InsecureServerCredentials.create());
  }

  /** Callers must send this bearer token, or get UNAUTHENTICATED. */
  public static FakeRunnel withToken(String token) throws IOException {
    return new FakeRunnel(Optional.of(token), InsecureServerCredentials.create());
  }

  /** TLS with grpc-java's test certificates (server1, named *.test.google.fr), client certificates signed by ca.pem required. */
  public static FakeRunnel mutualTls() throws IOException {
    try (InputStream cert = TlsTesting.loadCert("server1.pem"); InputStream key = TlsTesting.loadCert("server1.key");
         InputStream ca = TlsTesting.loadCert("ca.pem")) {
      return new FakeRunnel(Optional.empty(), TlsServerCredentials.newBuilder().keyManager(cert, key).trustManager(ca)
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build());
    }
  }

  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The last request of this type. */
  public <T extends Message> T last(Class<T> type) {
    for (int i = requests.size() - 1; i >= 0; i--) {
      if (type.isInstance(requests.get(i))) return type.cast(requests.get(i));
    }
    throw new AssertionError("no " + type.getSimpleName() + " received");
  }

  public void addMessage(MessageDetail m) {
    messages.put(m.getId(), m);
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private String nextId(String prefix) {
    return prefix + ids.incrementAndGet();
  }

  /** Records headers, checks the token, and plays a scripted failure. */
  private final class Gate implements ServerInterceptor {
    private final Metadata.Key<String> auth = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      authorization.set(headers.get(auth));
      deadline.set(Context.current().getDeadline());
      Status failure = failNext.getAndSet(null);
      if (failure == null && token.isPresent() && !("Bearer " + token.get()).equals(headers.get(auth))) {
        failure = Status.UNAUTHENTICATED.withDescription("send a bearer token");
      }
      if (failure != null) {
        call.close(failure, new Metadata());
        return new ServerCall.Listener<>() {
        };
      }
      return Contexts.interceptCall(Context.current(), call, headers, next);
    }
  }

  private static boolean empty(Selector s) {
    return s.equals(Selector.getDefaultInstance());
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }

  private final class Queue extends QueueServiceGrpc.QueueServiceImplBase {
    @Override
    public void summary(SummaryRequest request, StreamObserver<SummaryResponse> out) {
      requests.add(request);
      reply(out, summary);
    }

    @Override
    public void listMessages(ListMessagesRequest request, StreamObserver<ListMessagesResponse> out) {
      requests.add(request);
      int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
      int size = Math.min(pageSize, request.getPageSize() == 0 ? 100 : request.getPageSize());
      List<MessageDetail> all = new ArrayList<>(messages.values());
      ListMessagesResponse.Builder page = ListMessagesResponse.newBuilder();
      for (MessageDetail m : all.subList(from, Math.min(all.size(), from + size))) {
        page.addMessages(MessageSummary.newBuilder().setId(m.getId()).setSender(m.getSender()).setTenant(m.getTenant())
            .setCampaign(m.getCampaign()).addAllQueues(m.getQueuesList()).setReceivedAt(m.getReceivedAt())
            .setSize(m.getSize()).setAttempts(m.getAttempts()).setNextDue(m.getNextDue()).setState(m.getState())
            .addAllPendingRecipients(m.getRecipientsList().stream().map(r -> r.getAddress()).toList()));
      }
      if (from + size < all.size()) page.setNextPageToken(Integer.toString(from + size));
      reply(out, page.build());
    }

    @Override
    public void inspectMessage(InspectMessageRequest request, StreamObserver<InspectMessageResponse> out) {
      requests.add(request);
      MessageDetail m = messages.get(request.getId());
      if (m == null) {
        out.onError(Status.NOT_FOUND.withDescription("no message " + request.getId()).asRuntimeException());
        return;
      }
      reply(out, InspectMessageResponse.newBuilder().setMessage(request.getIncludeHeaders() ? m : m.toBuilder().clearHeaders().build()).build());
    }

    @Override
    public void suspend(SuspendRequest request, StreamObserver<SuspendResponse> out) {
      requests.add(request);
      if (empty(request.getSelector()) || request.getReason().isBlank()) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("a selector and a reason are required").asRuntimeException());
        return;
      }
      Suspension.Builder s = Suspension.newBuilder().setId(nextId("s")).setSelector(request.getSelector())
          .setReason(request.getReason()).setCreatedAt(CREATED);
      if (request.hasDuration()) s.setExpiresAt(CREATED.toBuilder().setSeconds(CREATED.getSeconds() + request.getDuration().getSeconds()));
      suspensions.put(s.getId(), s.build());
      reply(out, SuspendResponse.newBuilder().setSuspension(s).setMatched(messages.size()).build());
    }

    @Override
    public void resume(ResumeRequest request, StreamObserver<ResumeResponse> out) {
      requests.add(request);
      ResumeResponse.Builder resumed = ResumeResponse.newBuilder();
      if (!request.getId().isEmpty()) {
        Suspension s = suspensions.remove(request.getId());
        if (s == null) {
          out.onError(Status.NOT_FOUND.withDescription("no suspension " + request.getId()).asRuntimeException());
          return;
        }
        resumed.addResumed(s);
      } else {
        suspensions.values().stream().filter(s -> s.getSelector().equals(request.getSelector())).toList()
            .forEach(s -> resumed.addResumed(suspensions.remove(s.getId())));
      }
      reply(out, resumed.build());
    }

    @Override
    public void listSuspensions(ListSuspensionsRequest request, StreamObserver<ListSuspensionsResponse> out) {
      requests.add(request);
      reply(out, ListSuspensionsResponse.newBuilder().addAllSuspensions(suspensions.values()).build());
    }

    @Override
    public void adminBounce(AdminBounceRequest request, StreamObserver<AdminBounceResponse> out) {
      requests.add(request);
      AdminBounceRule rule = AdminBounceRule.newBuilder().setId(nextId("b")).setSelector(request.getSelector())
          .setReason(request.getReason()).setCreatedAt(CREATED)
          .setExpiresAt(CREATED.toBuilder().setSeconds(CREATED.getSeconds() + request.getDuration().getSeconds()))
          .setBounced(messages.size()).build();
      bounces.put(rule.getId(), rule);
      reply(out, AdminBounceResponse.newBuilder().setBounce(rule).setBouncedNow(messages.size()).build());
    }

    @Override
    public void listBounces(ListBouncesRequest request, StreamObserver<ListBouncesResponse> out) {
      requests.add(request);
      reply(out, ListBouncesResponse.newBuilder().addAllBounces(bounces.values()).build());
    }

    @Override
    public void cancelBounce(CancelBounceRequest request, StreamObserver<CancelBounceResponse> out) {
      requests.add(request);
      AdminBounceRule rule = bounces.remove(request.getId());
      if (rule == null) {
        out.onError(Status.NOT_FOUND.withDescription("no bounce rule " + request.getId()).asRuntimeException());
        return;
      }
      reply(out, CancelBounceResponse.newBuilder().setCancelled(rule).build());
    }

    @Override
    public void rebind(RebindRequest request, StreamObserver<RebindResponse> out) {
      requests.add(request);
      reply(out, RebindResponse.newBuilder().setRebound(rebound).build());
    }

    @Override
    public void retryNow(RetryNowRequest request, StreamObserver<RetryNowResponse> out) {
      requests.add(request);
      reply(out, RetryNowResponse.newBuilder().setScheduled(retried).build());
    }
  }

  /** Stores nothing; refuses a raw message without recipients (INVALID_ARGUMENT) or containing "REFUSE" (policy). */
  private final class Injection extends InjectionServiceGrpc.InjectionServiceImplBase {
    @Override
    public void inject(InjectRequest request, StreamObserver<InjectResponse> out) {
      requests.add(request);
      Optional<Status> refusal = refusal(request);
      if (refusal.isPresent()) {
        out.onError(refusal.get().asRuntimeException());
      } else {
        reply(out, accepted(request));
      }
    }

    @Override
    public StreamObserver<InjectRequest> injectStream(StreamObserver<InjectResult> out) {
      AtomicInteger index = new AtomicInteger();
      return new StreamObserver<>() {
        @Override
        public void onNext(InjectRequest request) {
          requests.add(request);
          InjectResult.Builder result = InjectResult.newBuilder().setClientRef(request.getClientRef()).setIndex(index.getAndIncrement());
          refusal(request).ifPresentOrElse(
              s -> result.setError(InjectError.newBuilder().setCode(s.getCode().value()).setMessage(s.getDescription())),
              () -> result.setAccepted(accepted(request)));
          out.onNext(result.build());
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }

    private Optional<Status> refusal(InjectRequest request) {
      if (request.hasRaw() && request.getEnvelopeRecipientsCount() == 0) {
        return Optional.of(Status.INVALID_ARGUMENT.withDescription("raw content needs envelope recipients"));
      }
      if (request.getRaw().toString(StandardCharsets.US_ASCII).contains("REFUSE")) {
        return Optional.of(Status.FAILED_PRECONDITION.withDescription("550 5.7.1 refused by a rule"));
      }
      return Optional.empty();
    }

    private InjectResponse accepted(InjectRequest request) {
      String domain = request.getEnvelopeRecipientsCount() > 0 ? request.getEnvelopeRecipients(0).replaceAll(".*@", "")
          : request.getComposed().getTo(0).replaceAll(".*@|>", "");
      return InjectResponse.newBuilder().setId(String.format("%032x", ids.incrementAndGet()))
          .addQueues(request.getCampaign() + ":" + request.getTenant() + "@" + domain).build();
    }
  }

  private final class Admin extends AdminServiceGrpc.AdminServiceImplBase {
    private static final Set<String> LEVELS = Set.of("", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
      requests.add(request);
      reply(out, status);
    }

    @Override
    public void reloadConfig(ReloadConfigRequest request, StreamObserver<ReloadConfigResponse> out) {
      requests.add(request);
      reply(out, reload);
    }

    @Override
    public void setLogLevel(SetLogLevelRequest request, StreamObserver<SetLogLevelResponse> out) {
      requests.add(request);
      if (!LEVELS.contains(request.getLevel())) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("unknown level " + request.getLevel()).asRuntimeException());
        return;
      }
      SetLogLevelResponse.Builder r = SetLogLevelResponse.newBuilder().setLogger(request.getLogger()).setPreviousLevel("INFO")
          .setEffectiveLevel(request.getLevel().isEmpty() ? "INFO" : request.getLevel());
      if (request.hasDuration()) r.setRevertsAt(CREATED.toBuilder().setSeconds(CREATED.getSeconds() + request.getDuration().getSeconds()));
      reply(out, r.build());
    }

    /** Three events at once, then nothing until the client cancels. */
    @Override
    public void traceSessions(TraceSessionsRequest request, StreamObserver<SessionEvent> out) {
      requests.add(request);
      ServerCallStreamObserver<SessionEvent> stream = (ServerCallStreamObserver<SessionEvent>) out;
      stream.setOnCancelHandler(() -> traceCancelled.set(true));
      for (int i = 1; i <= 3; i++) {
        stream.onNext(SessionEvent.newBuilder().setTime(CREATED).setSessionId("c" + i).setDirection(request.getDirection())
            .setKind(io.runnel.grpc.v1.SessionEventKind.SESSION_EVENT_KIND_COMMAND).setPeerAddress("127.0.0.1:4000" + i)
            .setText("EHLO client" + i).build());
      }
    }

    @Override
    public void drain(DrainRequest request, StreamObserver<DrainResponse> out) {
      requests.add(request);
      reply(out, drain);
    }
  }
}
