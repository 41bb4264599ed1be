package io.runnel.kernel.grpc;

import static io.runnel.kernel.grpc.QueueServiceTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.runnel.grpc.v1.AdminServiceGrpc;
import io.runnel.grpc.v1.Direction;
import io.runnel.grpc.v1.DrainRequest;
import io.runnel.grpc.v1.DrainResponse;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectionServiceGrpc;
import io.runnel.grpc.v1.ReloadConfigRequest;
import io.runnel.grpc.v1.ReloadConfigResponse;
import io.runnel.grpc.v1.SessionEvent;
import io.runnel.grpc.v1.SessionEventKind;
import io.runnel.grpc.v1.SetLogLevelRequest;
import io.runnel.grpc.v1.SetLogLevelResponse;
import io.runnel.grpc.v1.StatusRequest;
import io.runnel.grpc.v1.StatusResponse;
import io.runnel.grpc.v1.TraceSessionsRequest;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.ReloadReport;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** AdminService, health and reflection against a real daemon with a small ConfigReloader bound. */
class AdminServiceTest {

    @TempDir
    Path home;

    private final AtomicInteger reloads = new AtomicInteger();
    private SmtpSink sink;
    private TestDaemon daemon;
    private ControlPlaneClients clients;
    private AdminServiceGrpc.AdminServiceBlockingStub admin;

    /** Refuses the first reload (a broken file), applies the next. */
    private final class CountingReloader implements ConfigReloader {
        @Override
        public ReloadReport reload() {
            return reloads.incrementAndGet() == 1
                    ? new ReloadReport(false, List.of("conf/runnel.toml"), List.of("conf/runnel.toml:3: tenant.name: missing"), List.of())
                    : new ReloadReport(true, List.of("conf/runnel.toml"), List.of(), List.of("listener[0].bind"));
        }
    }

    @BeforeEach
    void start() throws Exception {
        sink = SmtpSink.start(SinkOptions.defaults());
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]
                """.formatted(sink.port()), List.of(new AbstractModule() {
                    @Override
                    protected void configure() {
                        OptionalBinder.newOptionalBinder(binder(), ConfigReloader.class).setBinding().toInstance(new CountingReloader());
                    }
                }));
        clients = new ControlPlaneClients(daemon);
        admin = AdminServiceGrpc.newBlockingStub(clients.inProcess);
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.close();
        daemon.close();
        sink.close();
    }

    @Test
    void statusReportsCountsAndListeners() {
        InjectionServiceGrpc.newBlockingStub(clients.inProcess).inject(InjectRequest.newBuilder()
                .addEnvelopeRecipients("stays@nowhere.invalid")
                .setRaw(ByteString.copyFromUtf8("Subject: x\r\n\r\nx\r\n")).build());

        StatusResponse status = AdminServiceGrpc.newBlockingStub(clients.socket).status(StatusRequest.getDefaultInstance());

        assertThat(status.getHostname()).isEqualTo("runnel.test");
        assertThat(status.getVersion()).isNotEmpty();
        assertThat(status.getListenersList()).singleElement().asString().startsWith("listener0 127.0.0.1:" + daemon.port());
        assertThat(status.getDraining()).isFalse();
        assertThat(status.getUptime().getSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(status.getSpooledMessages()).as("the injected message waits for nowhere.invalid").isEqualTo(1);
        assertThat(status.getSpooledBytes()).as("live pages: at least the message's own").isGreaterThanOrEqualTo(4096);
    }

    @Test
    void reloadCallsTheConfigReloaderAndReturnsItsReport() {
        ReloadConfigResponse refused = admin.reloadConfig(ReloadConfigRequest.getDefaultInstance());
        ReloadConfigResponse applied = admin.reloadConfig(ReloadConfigRequest.getDefaultInstance());

        assertThat(refused.getApplied()).isFalse();
        assertThat(refused.getErrorsList()).containsExactly("conf/runnel.toml:3: tenant.name: missing");
        assertThat(applied.getApplied()).isTrue();
        assertThat(applied.getRestartNeededList()).containsExactly("listener[0].bind");
        assertThat(reloads).hasValue(2);
    }

    @Test
    void setLogLevelChangesALoggerAndPutsItBackAfterTheDuration() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.runnel.test.levels");
        SetLogLevelResponse changed = admin.setLogLevel(SetLogLevelRequest.newBuilder().setLogger("io.runnel.test.levels")
                .setLevel("trace").setDuration(com.google.protobuf.Duration.newBuilder().setNanos(300_000_000)).build());

        assertThat(changed.getEffectiveLevel()).isEqualTo("TRACE");
        assertThat(changed.getPreviousLevel()).isEmpty();
        assertThat(changed.hasRevertsAt()).isTrue();
        assertThat(logger.getLevel()).isEqualTo(Level.TRACE);
        await().atMost(Duration.ofSeconds(5)).until(() -> logger.getLevel() == null);
        assertCode(() -> admin.setLogLevel(SetLogLevelRequest.newBuilder().setLevel("LOUD").build()), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void traceSessionsStreamsInboundAndOutboundSmtpWithAuthMasked() throws Exception {
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        Context.CancellableContext trace = Context.current().withCancellation();
        trace.run(() -> AdminServiceGrpc.newStub(clients.socket).traceSessions(TraceSessionsRequest.newBuilder()
                .setPeer("127.0.0.0/8").build(), collect(events)));
        await().atMost(Duration.ofSeconds(5)).until(() -> daemon.get(io.runnel.kernel.trace.SessionTracer.class).active());

        try (Socket socket = new Socket("127.0.0.1", daemon.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220");
            exchange(in, out, "EHLO traced.example");
            exchange(in, out, "MAIL FROM:<a@traced.example>");
            exchange(in, out, "RCPT TO:<b@dest.example>");
            exchange(in, out, "DATA");
            exchange(in, out, "Subject: traced\r\n\r\nhello\r\n.");
            exchange(in, out, "AUTH PLAIN c2VjcmV0");
            exchange(in, out, "QUIT");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> events.stream().anyMatch(e ->
                e.getDirection() == Direction.DIRECTION_OUTBOUND && e.getKind() == SessionEventKind.SESSION_EVENT_KIND_DATA));
        trace.cancel(null);

        assertThat(events).filteredOn(e -> e.getDirection() == Direction.DIRECTION_INBOUND)
                .extracting(SessionEvent::getText)
                .contains("EHLO traced.example", "MAIL FROM:<a@traced.example>", "AUTH PLAIN ***")
                .noneMatch(text -> text.contains("c2VjcmV0"))
                .anyMatch(text -> text.startsWith("250 "));
        assertThat(events).filteredOn(e -> e.getDirection() == Direction.DIRECTION_INBOUND
                && e.getKind() == SessionEventKind.SESSION_EVENT_KIND_DATA).singleElement()
                .satisfies(e -> assertThat(e.getDomain()).isEqualTo("traced.example"));
        assertThat(events).filteredOn(e -> e.getDirection() == Direction.DIRECTION_OUTBOUND)
                .extracting(SessionEvent::getKind)
                .contains(SessionEventKind.SESSION_EVENT_KIND_CONNECTED, SessionEventKind.SESSION_EVENT_KIND_COMMAND,
                        SessionEventKind.SESSION_EVENT_KIND_REPLY);
        await().atMost(Duration.ofSeconds(5)).until(() -> !daemon.get(io.runnel.kernel.trace.SessionTracer.class).active());
    }

    @Test
    void drainClosesTheListenersAndRefusesInjection() throws Exception {
        DrainResponse drained = admin.drain(DrainRequest.newBuilder()
                .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(5)).build());

        assertThat(drained.getDrained()).isTrue();
        assertThat(drained.getSessionsRemaining()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", daemon.port()).close())
                .isInstanceOf(ConnectException.class);
        assertCode(() -> InjectionServiceGrpc.newBlockingStub(clients.inProcess).inject(InjectRequest.newBuilder()
                .addEnvelopeRecipients("b@one.example").setRaw(ByteString.copyFromUtf8("x\r\n")).build()),
                Status.Code.FAILED_PRECONDITION);
        assertThat(admin.status(StatusRequest.getDefaultInstance()).getDraining()).isTrue();
    }

    @Test
    void healthAndReflectionAnswerOnTheRealPort() throws Exception {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(clients.socket).check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        List<ServerReflectionResponse> answers = new CopyOnWriteArrayList<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(clients.socket)
                .serverReflectionInfo(collect(answers));
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> !answers.isEmpty());
        requests.onCompleted();
        assertThat(answers.get(0).getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
                .contains("runnel.v1.QueueService", "runnel.v1.InjectionService", "runnel.v1.AdminService", "grpc.health.v1.Health");
    }

    private static void exchange(BufferedReader in, OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply;
        do {
            reply = in.readLine();
        } while (reply != null && reply.length() > 3 && reply.charAt(3) == '-');
    }

    private static <T> StreamObserver<T> collect(List<T> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
                // cancelled by the test
            }

            @Override
            public void onCompleted() {
                // nothing more to collect
            }
        };
    }
}
