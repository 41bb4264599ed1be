package io.runnel.kernel.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.runnel.grpc.v1.AdminBounceRequest;
import io.runnel.grpc.v1.AdminBounceResponse;
import io.runnel.grpc.v1.CancelBounceRequest;
import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectionServiceGrpc;
import io.runnel.grpc.v1.InspectMessageRequest;
import io.runnel.grpc.v1.ListBouncesRequest;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.ListMessagesResponse;
import io.runnel.grpc.v1.ListSuspensionsRequest;
import io.runnel.grpc.v1.MessageDetail;
import io.runnel.grpc.v1.MessageState;
import io.runnel.grpc.v1.QueueServiceGrpc;
import io.runnel.grpc.v1.QueueServiceGrpc.QueueServiceBlockingStub;
import io.runnel.grpc.v1.RebindRequest;
import io.runnel.grpc.v1.ResumeRequest;
import io.runnel.grpc.v1.RetryNowRequest;
import io.runnel.grpc.v1.Selector;
import io.runnel.grpc.v1.SummaryRequest;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.grpc.v1.SummaryRow;
import io.runnel.grpc.v1.SuspendRequest;
import io.runnel.grpc.v1.SuspendResponse;
import io.runnel.kernel.Journal;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.spool.SpoolId;
import io.runnel.sdk.sink.SinkFault;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QueueService against a real daemon: mail injected through the control plane, delivered to a real SMTP sink
 * ({@code flow.example}), deferred at a closed port ({@code stuck.example}) or deferred once by the sink and then
 * held an hour ({@code later.example}).
 */
class QueueServiceTest {

    @TempDir
    Path home;

    private SmtpSink sink;
    private SmtpSink deferringOnce;
    private TestDaemon daemon;
    private ControlPlaneClients clients;
    private QueueServiceBlockingStub queue;
    private InjectionServiceGrpc.InjectionServiceBlockingStub injection;

    @BeforeEach
    void start() throws Exception {
        sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true));
        deferringOnce = SmtpSink.start(SinkOptions.defaults().keepingMessages(true)
                .withFaults("MAIL", SinkFault.reply(451, "4.7.1 Greylisted")));
        daemon = startDaemon();
        connect();
    }

    private TestDaemon startDaemon() throws Exception {
        return TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [queues]
                retry_interval = "1h"
                max_retry_interval = "2h"

                [[route]]
                domain = "flow.example"
                hosts = ["127.0.0.1:%d"]

                [[route]]
                domain = "later.example"
                hosts = ["127.0.0.1:%d"]

                [[route]]
                domain = "stuck.example"
                hosts = ["127.0.0.1:9"]
                """.formatted(sink.port(), deferringOnce.port()));
    }

    private void connect() throws IOException {
        clients = new ControlPlaneClients(daemon);
        queue = QueueServiceGrpc.newBlockingStub(clients.inProcess);
        injection = InjectionServiceGrpc.newBlockingStub(clients.inProcess);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (clients != null) {
            clients.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        sink.close();
        deferringOnce.close();
    }

    private String inject(String tenant, String recipient, String subject) {
        return injection.inject(InjectRequest.newBuilder().setEnvelopeSender("alice@sender.example")
                .addEnvelopeRecipients(recipient).setTenant(tenant)
                .setRaw(ByteString.copyFrom("Subject: " + subject + "\r\n\r\nHello\r\n", StandardCharsets.US_ASCII))
                .build()).getId();
    }

    private static Selector tenant(String name) {
        return Selector.newBuilder().setTenant(name).build();
    }

    private void awaitDeferred(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            MessageDetail m = queue.inspectMessage(InspectMessageRequest.newBuilder().setId(id).build()).getMessage();
            return m.getState() == MessageState.MESSAGE_STATE_SCHEDULED && m.getNextDue().getSeconds()
                    > System.currentTimeMillis() / 1000 + 60;
        });
    }

    private boolean sinkGot(SmtpSink s, String subject) {
        return s.received().stream().anyMatch(m -> new String(m.content(), StandardCharsets.UTF_8).contains("Subject: " + subject));
    }

    @Test
    void aSuspendedTenantsMailIsHeldWhileAnotherTenantsMailIsDelivered() {
        SuspendResponse suspended = queue.suspend(SuspendRequest.newBuilder().setSelector(tenant("acme"))
                .setReason("complaints spike").build());
        assertThat(suspended.getSuspension().getId()).isNotEmpty();
        assertThat(suspended.getSuspension().hasExpiresAt()).isFalse();

        String held = inject("acme", "bob@flow.example", "held");
        inject("other", "carol@flow.example", "flows");

        await().atMost(Duration.ofSeconds(15)).until(() -> sinkGot(sink, "flows"));
        assertThat(sinkGot(sink, "held")).isFalse();
        MessageDetail detail = queue.inspectMessage(InspectMessageRequest.newBuilder().setId(held).build()).getMessage();
        assertThat(detail.getState()).isEqualTo(MessageState.MESSAGE_STATE_SUSPENDED);
        assertThat(detail.getAttempts()).isZero();
        SummaryResponse summary = queue.summary(SummaryRequest.newBuilder().addGroupBy(GroupBy.GROUP_BY_TENANT).build());
        assertThat(summary.getRowsList()).extracting(SummaryRow::getTenant, SummaryRow::getSuspended)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acme", 1L));

        queue.resume(ResumeRequest.newBuilder().setId(suspended.getSuspension().getId()).build());
        await().atMost(Duration.ofSeconds(15)).until(() -> sinkGot(sink, "held"));
        assertThat(queue.listSuspensions(ListSuspensionsRequest.getDefaultInstance()).getSuspensionsList()).isEmpty();
    }

    @Test
    void aSuspensionSurvivesARestartAndKeepsHolding() throws Exception {
        queue.suspend(SuspendRequest.newBuilder().setSelector(Selector.newBuilder().setDomain("flow.example"))
                .setReason("maintenance").setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(3600)).build());
        String held = inject("acme", "bob@flow.example", "restart");
        clients.close();
        daemon.close();

        daemon = startDaemon();
        connect();
        assertThat(queue.listSuspensions(ListSuspensionsRequest.getDefaultInstance()).getSuspensionsList())
                .singleElement().satisfies(s -> {
                    assertThat(s.getSelector().getDomain()).isEqualTo("flow.example");
                    assertThat(s.getReason()).isEqualTo("maintenance");
                    assertThat(s.hasExpiresAt()).isTrue();
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.inspectMessage(InspectMessageRequest.newBuilder()
                .setId(held).build()).getMessage().getState() == MessageState.MESSAGE_STATE_SUSPENDED);
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void adminBounceBouncesQueuedMailAndWritesAdminBounceRecords() throws Exception {
        String id = inject("bouncy", "dave@stuck.example", "doomed");
        awaitDeferred(id);

        AdminBounceResponse bounced = queue.adminBounce(AdminBounceRequest.newBuilder().setSelector(tenant("bouncy"))
                .setReason("tenant closed").setSuppressDsn(true)
                .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(600)).build());
        assertThat(bounced.getBouncedNow()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> records().stream()
                .anyMatch(line -> line.contains("\"AdminBounce\"") && line.contains(id) && line.contains("tenant closed")));
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.spool().loadMeta(SpoolId.parse(id)).isEmpty());

        // new matching mail is bounced too while the rule is active
        String later = inject("bouncy", "erin@flow.example", "also doomed");
        await().atMost(Duration.ofSeconds(10)).until(() -> records().stream()
                .anyMatch(line -> line.contains("\"AdminBounce\"") && line.contains(later)));
        assertThat(sinkGot(sink, "also doomed")).isFalse();
        String ruleId = bounced.getBounce().getId();
        assertThat(queue.listBounces(ListBouncesRequest.getDefaultInstance()).getBouncesList())
                .singleElement().satisfies(b -> assertThat(b.getBounced()).isEqualTo(2));
        queue.cancelBounce(CancelBounceRequest.newBuilder().setId(ruleId).build());
        assertThat(queue.listBounces(ListBouncesRequest.getDefaultInstance()).getBouncesList()).isEmpty();
    }

    @Test
    void rebindMovesQueuedMailToAnotherTenant() {
        String id = inject("first", "frank@stuck.example", "moved");
        awaitDeferred(id);

        long rebound = queue.rebind(RebindRequest.newBuilder().setSelector(tenant("first")).setTenant("second")
                .setCampaign("winter").build()).getRebound();

        assertThat(rebound).isEqualTo(1);
        MessageDetail detail = queue.inspectMessage(InspectMessageRequest.newBuilder().setId(id).build()).getMessage();
        assertThat(detail.getTenant()).isEqualTo("second");
        assertThat(detail.getQueuesList()).containsExactly("winter:second@stuck.example");
        ListMessagesResponse listed = queue.listMessages(ListMessagesRequest.newBuilder().setFilter(tenant("second")).build());
        assertThat(listed.getMessagesList()).extracting(m -> m.getId()).containsExactly(id);
        assertThat(queue.listMessages(ListMessagesRequest.newBuilder().setFilter(tenant("first")).build()).getMessagesList())
                .isEmpty();
    }

    @Test
    void retryNowMakesDeferredMailDueAtOnce() {
        String id = inject("acme", "gina@later.example", "greylisted");
        awaitDeferred(id);
        assertThat(deferringOnce.received()).isEmpty();

        long scheduled = queue.retryNow(RetryNowRequest.newBuilder().setSelector(Selector.newBuilder().setDomain("later.example"))
                .build()).getScheduled();

        assertThat(scheduled).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> sinkGot(deferringOnce, "greylisted"));
    }

    @Test
    void inspectShowsEnvelopeHeadersAndTheLastReply() {
        String id = inject("acme", "hank@later.example", "inspected");
        awaitDeferred(id);

        MessageDetail m = queue.inspectMessage(InspectMessageRequest.newBuilder().setId(id).setIncludeHeaders(true).build())
                .getMessage();

        assertThat(m.getSender()).isEqualTo("alice@sender.example");
        assertThat(m.getRecipientsList()).singleElement().satisfies(r -> {
            assertThat(r.getAddress()).isEqualTo("hank@later.example");
            assertThat(r.getState()).isEqualTo("PENDING");
        });
        assertThat(m.getAttempts()).isEqualTo(1);
        assertThat(m.getLastResponse().getCode()).isEqualTo(451);
        assertThat(m.getReceptionMap()).containsEntry("protocol", "GRPC");
        assertThat(m.getHeadersList()).extracting(h -> h.getName()).contains("Received", "X-Tenant", "Subject");
    }

    @Test
    void injectedMetadataIsInspectableSurvivesRebindAndRidesOnEveryRecordOfTheMessage() throws Exception {
        String id = injection.inject(InjectRequest.newBuilder().setEnvelopeSender("alice@sender.example")
                .addEnvelopeRecipients("ida@later.example").setTenant("acme")
                .putMetadata("customer_id", "42").putMetadata("batch", "2026-11-28.7")
                .setRaw(ByteString.copyFrom("Subject: with metadata\r\n\r\nHello\r\n", StandardCharsets.US_ASCII))
                .build()).getId();
        awaitDeferred(id);

        MessageDetail detail = queue.inspectMessage(InspectMessageRequest.newBuilder().setId(id).build()).getMessage();
        assertThat(detail.getMetadataMap()).containsOnly(Map.entry("customer_id", "42"), Map.entry("batch", "2026-11-28.7"));
        queue.rebind(RebindRequest.newBuilder().setSelector(tenant("acme")).setTenant("moved").build());
        queue.retryNow(RetryNowRequest.newBuilder().setSelector(tenant("moved")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> sinkGot(deferringOnce, "with metadata"));

        ObjectMapper json = new ObjectMapper();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(records().stream().map(line -> {
            try {
                return json.readTree(line);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).filter(r -> r.get("id").asText().equals(id)).toList()).satisfies(mine -> {
            assertThat(mine).extracting(r -> r.get("type").asText())
                    .containsExactly("Reception", "TransientFailure", "Delivery");
            assertThat(mine).allSatisfy(r -> {
                assertThat(r.get("meta").get("customer_id").asText()).isEqualTo("42");
                assertThat(r.get("meta").get("batch").asText()).isEqualTo("2026-11-28.7");
            });
            assertThat(mine.get(0).get("meta").get("tenant").asText()).isEqualTo("acme");
            assertThat(mine.get(2).get("meta").get("tenant").asText()).isEqualTo("moved");
        }));
    }

    @Test
    void badMetadataIsRefusedWithInvalidArgumentNamingTheKeyAndNothingIsStored() throws Exception {
        for (Map<String, String> bad : List.of(Map.of("", "v"), Map.of("has space", "v"), Map.of("k".repeat(65), "v"),
                Map.of("tenant", "other"), Map.of("campaign", "other"), Map.of("big", "x".repeat(4096)),
                tooMany())) {
            assertThatThrownBy(() -> injection.inject(InjectRequest.newBuilder().addEnvelopeRecipients("b@stuck.example")
                    .putAllMetadata(bad).setRaw(ByteString.copyFromUtf8("Subject: x\r\n\r\nx\r\n")).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("metadata");
                    });
        }
        assertThat(daemon.spooledIds()).isEmpty();
    }

    private static Map<String, String> tooMany() {
        Map<String, String> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("k" + i, "v");
        }
        return many;
    }

    @Test
    void listMessagesPagesOldestFirst() {
        List<String> ids = List.of(inject("p", "a@stuck.example", "1"), inject("p", "b@stuck.example", "2"),
                inject("p", "c@stuck.example", "3"));
        ids.forEach(this::awaitDeferred);

        ListMessagesResponse first = queue.listMessages(ListMessagesRequest.newBuilder().setFilter(tenant("p")).setPageSize(2).build());
        ListMessagesResponse second = queue.listMessages(ListMessagesRequest.newBuilder().setFilter(tenant("p")).setPageSize(2)
                .setPageToken(first.getNextPageToken()).build());

        assertThat(first.getMessagesList()).extracting(m -> m.getId()).containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(second.getMessagesList()).extracting(m -> m.getId()).containsExactly(ids.get(2));
        assertThat(second.getNextPageToken()).isEmpty();
        ListMessagesRequest all = ListMessagesRequest.newBuilder().setFilter(tenant("p")).build();
        int attempts = first.getMessages(0).getAttempts();
        assertThat(queue.listMessages(all.toBuilder().setState(MessageState.MESSAGE_STATE_SCHEDULED).setMinAttempts(attempts).build())
                .getMessagesList()).extracting(m -> m.getId()).containsExactlyElementsOf(ids);
        assertThat(queue.listMessages(all.toBuilder().setState(MessageState.MESSAGE_STATE_READY).build()).getMessagesList()).isEmpty();
        assertThat(queue.listMessages(all.toBuilder().setMinAttempts(attempts + 1).build()).getMessagesList()).isEmpty();
    }

    @Test
    void errorsMapToStatusCodes() {
        assertCode(() -> queue.inspectMessage(InspectMessageRequest.newBuilder().setId("0".repeat(32)).build()), Status.Code.NOT_FOUND);
        assertCode(() -> queue.inspectMessage(InspectMessageRequest.newBuilder().setId("nope").build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> queue.suspend(SuspendRequest.newBuilder().setReason("x").build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> queue.suspend(SuspendRequest.newBuilder().setSelector(tenant("a")).build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> queue.suspend(SuspendRequest.newBuilder().setSelector(tenant("a b")).setReason("x").build()),
                Status.Code.INVALID_ARGUMENT);
        assertCode(() -> queue.resume(ResumeRequest.newBuilder().setId("missing").build()), Status.Code.NOT_FOUND);
        assertCode(() -> queue.cancelBounce(CancelBounceRequest.newBuilder().setId("missing").build()), Status.Code.NOT_FOUND);
        assertCode(() -> queue.adminBounce(AdminBounceRequest.newBuilder().setSelector(Selector.newBuilder().setSite("mx.example"))
                .setReason("x").build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> queue.rebind(RebindRequest.newBuilder().setSelector(tenant("a")).build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> queue.listMessages(ListMessagesRequest.newBuilder().setPageSize(5000).build()), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void theQueueServiceAnswersOverTheRealPort() {
        QueueServiceBlockingStub overSocket = QueueServiceGrpc.newBlockingStub(clients.socket);
        String id = inject("net", "ivy@stuck.example", "socket");
        awaitDeferred(id);

        SummaryResponse summary = overSocket.summary(SummaryRequest.newBuilder().addGroupBy(GroupBy.GROUP_BY_QUEUE)
                .addGroupBy(GroupBy.GROUP_BY_POOL).build());

        assertThat(summary.getRowsList()).singleElement().satisfies(row -> {
            assertThat(row.getQueue()).isEqualTo("net@stuck.example");
            assertThat(row.getPool()).isEqualTo("default");
            assertThat(row.getMessages()).isEqualTo(1);
            assertThat(row.getDeferred()).isZero(); // a refused connection is no attempt
            assertThat(row.hasOldestAge()).isTrue();
        });
        assertCode(() -> overSocket.inspectMessage(InspectMessageRequest.newBuilder().setId("0".repeat(32)).build()),
                Status.Code.NOT_FOUND);
    }

    static void assertCode(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    private List<String> records() throws IOException {
        return Journal.lines(home);
    }
}
