package io.runnel.kernel.grpc;

import static io.runnel.kernel.grpc.QueueServiceTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.runnel.grpc.v1.ComposedMessage;
import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.Header;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectResponse;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.grpc.v1.InjectionServiceGrpc;
import io.runnel.grpc.v1.QueueServiceGrpc;
import io.runnel.grpc.v1.SummaryRequest;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.spool.SpoolId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** InjectionService: mail handed in over gRPC is durable before the reply and queued like SMTP mail. */
class InjectionServiceTest {

    @TempDir
    Path home;

    private TestDaemon daemon;
    private ControlPlaneClients clients;

    @BeforeEach
    void start() throws Exception {
        // every domain routed to a closed port: injected mail stays queued, nothing leaves the machine
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [queues]
                retry_interval = "1h"

                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:9"]
                """);
        clients = new ControlPlaneClients(daemon);
    }

    @AfterEach
    void stop() throws InterruptedException {
        clients.close();
        daemon.close();
    }

    @Test
    void injectedRawMailIsSpooledBeforeTheReplyAndShowsInTheSummary() throws Exception {
        InjectionServiceGrpc.InjectionServiceBlockingStub injection = InjectionServiceGrpc.newBlockingStub(clients.socket);

        InjectResponse response = injection.inject(InjectRequest.newBuilder().setEnvelopeSender("alice@sender.example")
                .addEnvelopeRecipients("bob@one.example").addEnvelopeRecipients("carol@two.example")
                .setTenant("acme").setCampaign("spring")
                .setRaw(ByteString.copyFrom("Subject: raw\nFrom: alice@sender.example\n\nbody line\n", StandardCharsets.US_ASCII))
                .build());

        // the reply came after the commit: the metadata is readable at once
        MessageMeta meta = daemon.spool().loadMeta(SpoolId.parse(response.getId())).orElseThrow();
        assertThat(meta.tenant()).contains("acme");
        assertThat(meta.metadata()).isEmpty();
        assertThat(meta.campaign()).contains("spring");
        assertThat(response.getQueuesList()).containsExactly("spring:acme@one.example", "spring:acme@two.example");
        String body = new String(daemon.spool().loadBody(meta.id()).orElseThrow(), StandardCharsets.US_ASCII);
        assertThat(body).startsWith("Received: from grpc").contains("with GRPC").contains("Subject: raw\r\nFrom:")
                .endsWith("body line\r\n");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(QueueServiceGrpc.newBlockingStub(clients.socket)
                .summary(SummaryRequest.newBuilder().addGroupBy(GroupBy.GROUP_BY_TENANT).build()).getRowsList())
                .singleElement().satisfies(row -> {
                    assertThat(row.getTenant()).isEqualTo("acme");
                    assertThat(row.getMessages()).isEqualTo(2); // once per recipient domain
                    assertThat(row.getRecipients()).isEqualTo(2);
                }));
    }

    @Test
    void aComposedMessageIsBuiltAsMime() throws Exception {
        InjectResponse response = InjectionServiceGrpc.newBlockingStub(clients.inProcess).inject(InjectRequest.newBuilder()
                .setComposed(ComposedMessage.newBuilder().setFrom("Alice <alice@sender.example>").addTo("bob@one.example")
                        .addBcc("hidden@two.example").setSubject("Grüße").setTextBody("plain text").setHtmlBody("<p>html</p>")
                        .addHeaders(Header.newBuilder().setName("List-Unsubscribe").setValue("<mailto:u@sender.example>")))
                .build());

        MessageMeta meta = daemon.spool().loadMeta(SpoolId.parse(response.getId())).orElseThrow();
        assertThat(meta.sender().toString()).isEqualTo("alice@sender.example");
        assertThat(meta.recipients()).extracting(r -> r.address().toString()).containsExactly("bob@one.example", "hidden@two.example");
        String body = new String(daemon.spool().loadBody(meta.id()).orElseThrow(), StandardCharsets.US_ASCII);
        assertThat(body).contains("From: Alice <alice@sender.example>\r\n", "To: bob@one.example\r\n",
                "Subject: =?UTF-8?B?", "Message-ID: <", "@runnel.test>", "multipart/alternative",
                "List-Unsubscribe: <mailto:u@sender.example>").doesNotContain("hidden@two.example\r\n\r\n")
                .doesNotContain("Bcc");
    }

    @Test
    void theStreamAnswersEveryMessageInOrderAndGoesOnAfterABadOne() throws Exception {
        List<InjectResult> results = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<InjectRequest> requests = InjectionServiceGrpc.newStub(clients.socket).injectStream(new StreamObserver<>() {
            @Override
            public void onNext(InjectResult value) {
                results.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        for (int i = 0; i < 5; i++) {
            String recipient = i == 2 ? "not an address" : "user" + i + "@one.example";
            requests.onNext(InjectRequest.newBuilder().setClientRef("ref" + i).addEnvelopeRecipients(recipient)
                    .setRaw(ByteString.copyFromUtf8("Subject: " + i + "\r\n\r\nx\r\n")).build());
        }
        requests.onCompleted();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(results).extracting(InjectResult::getClientRef).containsExactly("ref0", "ref1", "ref2", "ref3", "ref4");
        assertThat(results.get(2).getError().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(results).filteredOn(InjectResult::hasAccepted).hasSize(4);
        for (InjectResult r : results.stream().filter(InjectResult::hasAccepted).toList()) {
            assertThat(daemon.spool().loadMeta(SpoolId.parse(r.getAccepted().getId()))).isPresent();
        }
    }

    @Test
    void aFullSpoolIsResourceExhausted(@TempDir Path smallHome) throws Exception {
        try (TestDaemon small = TestDaemon.start(smallHome, """
                [spool]
                sync = "none"
                map_size = "1MiB"
                """);
             ControlPlaneClients smallClients = new ControlPlaneClients(small)) {
            byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(998) + "\r\n").repeat(2048).getBytes(StandardCharsets.US_ASCII);

            assertCode(() -> InjectionServiceGrpc.newBlockingStub(smallClients.inProcess).inject(InjectRequest.newBuilder()
                    .addEnvelopeRecipients("b@one.example").setRaw(ByteString.copyFrom(big)).build()),
                    Status.Code.RESOURCE_EXHAUSTED);
            assertThat(small.spooledIds()).isEmpty();
        }
    }

    @Test
    void badRequestsAreRefusedWithInvalidArgument() {
        InjectionServiceGrpc.InjectionServiceBlockingStub injection = InjectionServiceGrpc.newBlockingStub(clients.inProcess);
        ByteString raw = ByteString.copyFromUtf8("Subject: x\r\n\r\nx\r\n");
        assertCode(() -> injection.inject(InjectRequest.newBuilder().setRaw(raw).build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> injection.inject(InjectRequest.newBuilder().addEnvelopeRecipients("b@one.example").build()),
                Status.Code.INVALID_ARGUMENT);
        assertCode(() -> injection.inject(InjectRequest.newBuilder().setEnvelopeSender("no-at-sign").addEnvelopeRecipients("b@one.example")
                .setRaw(raw).build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> injection.inject(InjectRequest.newBuilder().addEnvelopeRecipients("b@one.example").setTenant("a:b")
                .setRaw(raw).build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> injection.inject(InjectRequest.newBuilder().setComposed(ComposedMessage.newBuilder()
                .setFrom("a@sender.example").addTo("b@one.example")).build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> injection.inject(InjectRequest.newBuilder().addEnvelopeRecipients("b@one.example")
                .putMetadata("k:1", "v").setRaw(raw).build()), Status.Code.INVALID_ARGUMENT);
        assertThat(daemon.get(io.runnel.kernel.queue.QueueManager.class).sizes()).isEmpty();
    }
}
