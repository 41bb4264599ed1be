package io.runnel.kernel.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.runnel.grpc.v1.AdminServiceGrpc;
import io.runnel.grpc.v1.Direction;
import io.runnel.grpc.v1.DrainRequest;
import io.runnel.grpc.v1.DrainResponse;
import io.runnel.grpc.v1.PluginStatus;
import io.runnel.grpc.v1.ReloadConfigRequest;
import io.runnel.grpc.v1.ReloadConfigResponse;
import io.runnel.grpc.v1.SessionEventKind;
import io.runnel.grpc.v1.SetLogLevelRequest;
import io.runnel.grpc.v1.SetLogLevelResponse;
import io.runnel.grpc.v1.StatusRequest;
import io.runnel.grpc.v1.StatusResponse;
import io.runnel.grpc.v1.TraceSessionsRequest;
import io.runnel.kernel.config.Cidr;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.ReloadReport;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.delivery.DeliveryEngine;
import io.runnel.kernel.plugin.PluginHost;
import io.runnel.kernel.queue.AdminRule;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.Suspensions;
import io.runnel.kernel.smtp.server.SmtpServer;
import io.runnel.kernel.spool.LmdbSpool;
import io.runnel.kernel.spool.SpoolUsage;
import io.runnel.kernel.trace.SessionEvent;
import io.runnel.kernel.trace.SessionTracer;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** AdminService: status, reload, log levels, session traces and drain, each delegated to the part that does it. */
final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(AdminGrpcService.class);
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
    private static final long DRAIN_POLL_MILLIS = 50;

    private final RunnelConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final LmdbSpool spool;
    private final QueueManager queues;
    private final DeliveryEngine delivery;
    private final Suspensions suspensions;
    private final PluginHost plugins;
    private final SmtpServer smtp;
    private final Optional<ConfigReloader> reloader;
    private final SessionTracer tracer;
    private final Intake intake;
    private final LogLevels levels = new LogLevels();

    @Inject
    AdminGrpcService(RunnelConfig config, Clock clock, LmdbSpool spool, QueueManager queues, DeliveryEngine delivery,
                     Suspensions suspensions, PluginHost plugins, SmtpServer smtp, Optional<ConfigReloader> reloader,
                     SessionTracer tracer, Intake intake) {
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.spool = spool;
        this.queues = queues;
        this.delivery = delivery;
        this.suspensions = suspensions;
        this.plugins = plugins;
        this.smtp = smtp;
        this.reloader = reloader;
        this.tracer = tracer;
        this.intake = intake;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        Calls.reply(out, () -> {
            // from LMDB's own statistics in one short read transaction: no per-message read, quick at a million
            SpoolUsage usage = spool.usage().orElseThrow(
                    () -> Status.UNAVAILABLE.withDescription("the spool is not open").asRuntimeException());
            Instant now = clock.instant();
            String version = AdminGrpcService.class.getPackage().getImplementationVersion();
            StatusResponse.Builder b = StatusResponse.newBuilder()
                    .setVersion(version == null ? "development build" : version)
                    .setStartedAt(ProtoValues.timestamp(startedAt))
                    .setUptime(ProtoValues.duration(Duration.between(startedAt, now)))
                    .setHostname(config.server().hostname())
                    .setSpooledMessages(usage.messages()).setSpooledBytes(usage.liveBytes())
                    .setScheduledQueues(queues.sizes().values().stream().filter(size -> size > 0).count())
                    .setReadyMessages(delivery.readySnapshot().size())
                    .setSuspensions(suspensions.active(AdminRule.Kind.SUSPEND).size())
                    .setAdminBounces(suspensions.active(AdminRule.Kind.BOUNCE).size())
                    .setInboundSessions(smtp.openSessions())
                    .setDraining(intake.draining());
            plugins.startedPlugins().forEach(id -> b.addPlugins(PluginStatus.newBuilder().setId(id).setState("STARTED")));
            plugins.failures().forEach(f -> b.addPlugins(PluginStatus.newBuilder().setId(f.plugin()).setState("FAILED")
                    .setFailure(f.reason())));
            for (int i = 0; i < smtp.boundAddresses().size() && i < config.listeners().size(); i++) {
                InetSocketAddress bound = smtp.boundAddresses().get(i);
                b.addListeners(config.listeners().get(i).name() + " " + bound.getAddress().getHostAddress() + ":" + bound.getPort());
            }
            return b.build();
        });
    }

    @Override
    public void reloadConfig(ReloadConfigRequest request, StreamObserver<ReloadConfigResponse> out) {
        if (reloader.isEmpty()) {
            out.onError(Status.UNIMPLEMENTED.withDescription("live reload is not available in this daemon").asRuntimeException());
            return;
        }
        Calls.reply(out, () -> {
            ReloadReport report = reloader.get().reload();
            return ReloadConfigResponse.newBuilder().setApplied(report.applied()).addAllChanged(report.changed())
                    .addAllErrors(report.errors()).addAllRestartNeeded(report.restartNeeded()).build();
        });
    }

    @Override
    public void setLogLevel(SetLogLevelRequest request, StreamObserver<SetLogLevelResponse> out) {
        Calls.reply(out, () -> {
            Optional<Duration> revert = ProtoValues.duration(request.hasDuration(), request.getDuration(), "duration");
            LogLevels.Change change = levels.set(request.getLogger(), request.getLevel(), revert);
            log.atInfo().addKeyValue("logger", change.logger()).addKeyValue("level", change.effective())
                    .addKeyValue("revert_after", revert.map(Duration::toString).orElse("never")).log("log level changed");
            SetLogLevelResponse.Builder b = SetLogLevelResponse.newBuilder().setLogger(change.logger())
                    .setPreviousLevel(change.previous().orElse("")).setEffectiveLevel(change.effective());
            revert.ifPresent(after -> b.setRevertsAt(ProtoValues.timestamp(clock.instant().plus(after))));
            return b.build();
        });
    }

    @Override
    public void traceSessions(TraceSessionsRequest request, StreamObserver<io.runnel.grpc.v1.SessionEvent> out) {
        Predicate<SessionEvent> filter;
        try {
            filter = filter(request);
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.statusFor(e));
            return;
        }
        ServerCallStreamObserver<io.runnel.grpc.v1.SessionEvent> stream = (ServerCallStreamObserver<io.runnel.grpc.v1.SessionEvent>) out;
        AtomicLong dropped = new AtomicLong();
        // events come from many event loops: one at a time into the stream, dropped (counted) when the client lags
        SessionTracer.Subscription subscription = tracer.subscribe(filter, event -> {
            synchronized (stream) {
                if (stream.isCancelled()) {
                    return;
                }
                if (stream.isReady()) {
                    stream.onNext(proto(event));
                } else {
                    dropped.incrementAndGet();
                }
            }
        });
        stream.setOnCancelHandler(() -> {
            subscription.close();
            if (dropped.get() > 0) {
                log.atInfo().addKeyValue("dropped", dropped.get()).log("session trace ended; events dropped for a slow client");
            }
        });
    }

    private static Predicate<SessionEvent> filter(TraceSessionsRequest request) {
        Predicate<SessionEvent> filter = event -> true;
        if (!request.getPeer().isEmpty()) {
            Cidr cidr;
            try {
                cidr = Cidr.parse(request.getPeer());
            } catch (IllegalArgumentException e) {
                throw GrpcErrors.invalid("peer: " + e.getMessage());
            }
            filter = filter.and(event -> event.peer() != null && event.peer().getAddress() != null
                    && cidr.contains(event.peer().getAddress()));
        }
        if (!request.getDomain().isEmpty()) {
            String domain = request.getDomain().toLowerCase(Locale.ROOT);
            filter = filter.and(event -> {
                String d = event.domain().toLowerCase(Locale.ROOT);
                return d.equals(domain) || d.endsWith("." + domain);
            });
        }
        if (request.getDirection() == Direction.DIRECTION_INBOUND) {
            filter = filter.and(event -> event.direction() == SessionEvent.Direction.INBOUND);
        } else if (request.getDirection() == Direction.DIRECTION_OUTBOUND) {
            filter = filter.and(event -> event.direction() == SessionEvent.Direction.OUTBOUND);
        }
        return filter;
    }

    private static io.runnel.grpc.v1.SessionEvent proto(SessionEvent event) {
        io.runnel.grpc.v1.SessionEvent.Builder b = io.runnel.grpc.v1.SessionEvent.newBuilder()
                .setTime(ProtoValues.timestamp(event.time())).setSessionId(event.sessionId())
                .setDirection(event.direction() == SessionEvent.Direction.INBOUND ? Direction.DIRECTION_INBOUND
                        : Direction.DIRECTION_OUTBOUND)
                .setKind(SessionEventKind.valueOf("SESSION_EVENT_KIND_" + event.kind().name()))
                .setText(event.text()).setDomain(event.domain());
        if (event.peer() != null) {
            b.setPeerAddress(address(event.peer()));
        }
        if (event.local() != null) {
            b.setLocalAddress(address(event.local()));
        }
        return b.build();
    }

    private static String address(InetSocketAddress a) {
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ":" + a.getPort();
    }

    @Override
    public void drain(DrainRequest request, StreamObserver<DrainResponse> out) {
        Duration timeout;
        try {
            timeout = ProtoValues.duration(request.hasTimeout(), request.getTimeout(), "timeout").orElse(DEFAULT_DRAIN);
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.statusFor(e));
            return;
        }
        if (intake.drain()) {
            log.atInfo().log("draining: listeners close, injection refused; delivery goes on");
            smtp.stopAccepting(Duration.ofSeconds(5));
        }
        Instant deadline = clock.instant().plus(timeout);
        CompletableFuture<DrainResponse> done = new CompletableFuture<>();
        awaitSessions(deadline, done);
        Calls.complete(out, done);
    }

    private void awaitSessions(Instant deadline, CompletableFuture<DrainResponse> done) {
        int open = smtp.openSessions();
        if (open == 0 || !clock.instant().isBefore(deadline)) {
            done.complete(DrainResponse.newBuilder().setDrained(open == 0).setSessionsRemaining(open).build());
            return;
        }
        CompletableFuture.delayedExecutor(DRAIN_POLL_MILLIS, TimeUnit.MILLISECONDS).execute(() -> awaitSessions(deadline, done));
    }
}
