package io.runnel.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.testing.TlsTesting;
import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.MessageDetail;
import io.runnel.grpc.v1.RebindRequest;
import io.runnel.grpc.v1.Selector;
import io.runnel.grpc.v1.SessionEvent;
import io.runnel.grpc.v1.SummaryRequest;
import io.runnel.grpc.v1.TraceSessionsRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnelClientTest {

  private static final Selector ACME = Selector.newBuilder().setTenant("acme").build();

  @Test
  void everyCallCarriesTheBearerTokenAndTheDefaultDeadline() throws IOException {
    try (FakeRunnel server = FakeRunnel.withToken("s3cret-token-0123456789");
         RunnelClient client = RunnelClient.builder().target(server.target()).bearerToken("s3cret-token-0123456789")
             .callTimeout(Duration.ofSeconds(7)).build()) {
      client.summary(List.of(GroupBy.GROUP_BY_TENANT, GroupBy.GROUP_BY_DOMAIN), ACME);

      assertThat(server.authorization.get()).isEqualTo("Bearer s3cret-token-0123456789");
      assertThat(server.deadline.get().timeRemaining(TimeUnit.MILLISECONDS)).isBetween(1L, 7000L);
      assertThat(server.last(SummaryRequest.class).getGroupByList())
          .containsExactly(GroupBy.GROUP_BY_TENANT, GroupBy.GROUP_BY_DOMAIN);
      assertThat(server.last(SummaryRequest.class).getFilter()).isEqualTo(ACME);
    }
  }

  @Test
  void aWrongTokenIsUnauthenticated() throws IOException {
    try (FakeRunnel server = FakeRunnel.withToken("right-token-0123456789");
         RunnelClient client = RunnelClient.builder().target(server.target()).bearerToken("wrong").build()) {
      assertThatThrownBy(client::status).isInstanceOf(RunnelClientException.class)
          .extracting(e -> ((RunnelClientException) e).code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
  }

  @Test
  void failedCallsCarryTheServersStatusCode() throws IOException {
    try (FakeRunnel server = FakeRunnel.plaintext();
         RunnelClient client = RunnelClient.builder().target(server.target()).build()) {
      assertThatThrownBy(() -> client.inspect("0123456789abcdef0123456789abcdef", false))
          .isInstanceOfSatisfying(RunnelClientException.class, e -> {
            assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("NOT_FOUND: no message 0123456789abcdef0123456789abcdef");
          });
      assertThatThrownBy(() -> client.setLogLevel("io.runnel", "LOUD", Optional.empty()))
          .isInstanceOfSatisfying(RunnelClientException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
  }

  @Test
  void aServerThatIsNotThereIsUnavailable() throws IOException {
    String target;
    try (FakeRunnel gone = FakeRunnel.plaintext()) {
      target = gone.target(); // a port that was free a moment ago and is closed now
    }
    try (RunnelClient client = RunnelClient.builder().target(target).callTimeout(Duration.ofSeconds(5)).build()) {
      assertThatThrownBy(client::status).isInstanceOfSatisfying(RunnelClientException.class,
          e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void messagesFollowsPageTokensToTheEnd() throws IOException {
    try (FakeRunnel server = FakeRunnel.plaintext();
         RunnelClient client = RunnelClient.builder().target(server.target()).build()) {
      IntStream.range(0, 5).forEach(i -> server.addMessage(MessageDetail.newBuilder().setId("m" + i).build()));
      List<String> ids = new ArrayList<>();
      client.messages(ListMessagesRequest.newBuilder().setFilter(ACME).build()).forEachRemaining(m -> ids.add(m.getId()));

      assertThat(ids).containsExactly("m0", "m1", "m2", "m3", "m4");
      assertThat(server.requests.stream().filter(ListMessagesRequest.class::isInstance).count()).isEqualTo(3);
    }
  }

  @Test
  void suspendAndResumeMapDurationsAndSelectors() throws IOException {
    try (FakeRunnel server = FakeRunnel.plaintext();
         RunnelClient client = RunnelClient.builder().target(server.target()).build()) {
      String id = client.suspend(ACME, "complaints", Optional.of(Duration.ofMinutes(90))).getSuspension().getId();
      assertThat(client.suspensions()).extracting(s -> s.getId()).containsExactly(id);
      assertThat(client.suspensions().get(0).getExpiresAt().getSeconds() - FakeRunnel.CREATED.getSeconds()).isEqualTo(5400);

      assertThat(client.resume(ACME)).extracting(s -> s.getReason()).containsExactly("complaints");
      assertThat(client.suspensions()).isEmpty();
      assertThatThrownBy(() -> client.resume(id)).isInstanceOfSatisfying(RunnelClientException.class,
          e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND));
    }
  }

  @Test
  void rebindSendsOnlyTheValuesGiven() throws IOException {
    try (FakeRunnel server = FakeRunnel.plaintext();
         RunnelClient client = RunnelClient.builder().target(server.target()).build()) {
      server.rebound = 12;
      assertThat(client.rebind(ACME, Optional.empty(), Optional.of(""), true)).isEqualTo(12);

      RebindRequest sent = server.last(RebindRequest.class);
      assertThat(sent.hasTenant()).isFalse();
      assertThat(sent.hasCampaign()).isTrue();
      assertThat(sent.getCampaign()).isEmpty();
      assertThat(sent.getRetryNow()).isTrue();
    }
  }

  @Test // 3.2 MB: more than the HTTP/2 window, so sending has to wait for the server to read
  void injectAllSendsEveryRequestAndGetsOneResultEachInOrder() throws IOException {
    try (FakeRunnel server = FakeRunnel.plaintext();
         RunnelClient client = RunnelClient.builder().target(server.target()).build()) {
      List<InjectRequest> batch = IntStream.range(0, 400).mapToObj(i -> InjectRequest.newBuilder()
          .addEnvelopeRecipients("user" + i + "@example.net").setClientRef("r" + i)
          .setRaw(ByteString.copyFromUtf8((i == 7 ? "Subject: REFUSE\r\n" : "Subject: hi\r\n") + "\r\n" + "x".repeat(8000)))
          .build()).toList();

      List<InjectResult> results = client.injectAll(batch);

      assertThat(results).hasSize(400);
      assertThat(results).extracting(InjectResult::getIndex).containsExactlyElementsOf(LongStreamRange.of(400));
      assertThat(results.get(7).getError().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
      assertThat(results.stream().filter(InjectResult::hasAccepted).count()).isEqualTo(399);
    }
  }

  @Test
  void closingATraceCancelsTheServerStream() throws IOException {
    try (FakeRunnel server = FakeRunnel.plaintext();
         RunnelClient client = RunnelClient.builder().target(server.target()).build()) {
      List<String> seen = new ArrayList<>();
      try (EventStream<SessionEvent> events = client.trace(TraceSessionsRequest.getDefaultInstance())) {
        for (int i = 0; i < 3 && events.hasNext(); i++) seen.add(events.next().getText());
      }
      assertThat(seen).containsExactly("EHLO client1", "EHLO client2", "EHLO client3");
      await().atMost(Duration.ofSeconds(5)).untilTrue(server.traceCancelled);
    }
  }

  @Test
  void healthReportsTheServingStatus() throws IOException {
    try (FakeRunnel server = FakeRunnel.plaintext();
         RunnelClient client = RunnelClient.builder().target(server.target()).build()) {
      assertThat(client.health("")).isEqualTo(ServingStatus.SERVING);
      server.health.setStatus("", ServingStatus.NOT_SERVING);
      assertThat(client.health("")).isEqualTo(ServingStatus.NOT_SERVING);
    }
  }

  @Test
  void mutualTlsConnectsWithTheClientCertificateAndFailsWithout(@TempDir Path dir) throws IOException {
    Path ca = copy(dir, "ca.pem");
    Path cert = copy(dir, "client.pem");
    Path key = copy(dir, "client.key");
    try (FakeRunnel server = FakeRunnel.mutualTls()) {
      try (RunnelClient client = RunnelClient.builder().target(server.target()).trustCertificates(ca)
          .clientCertificate(cert, key).tlsServerName("foo.test.google.fr").build()) {
        assertThat(client.health("")).isEqualTo(ServingStatus.SERVING);
      }
      try (RunnelClient anonymous = RunnelClient.builder().target(server.target()).trustCertificates(ca)
          .tlsServerName("foo.test.google.fr").callTimeout(Duration.ofSeconds(5)).build()) {
        assertThatThrownBy(() -> anonymous.health("")).isInstanceOfSatisfying(RunnelClientException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
      }
    }
  }

  @Test
  void aTokenWithSpacesIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> RunnelClient.builder().bearerToken("two words").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
  }

  static Path copy(Path dir, String name) throws IOException {
    try (InputStream in = TlsTesting.loadCert(name)) {
      Path file = dir.resolve(name);
      Files.copy(in, file);
      return file;
    }
  }

  /** 0..n-1 as boxed longs, for comparing result indexes. */
  private static final class LongStreamRange {
    static List<Long> of(int n) {
      return java.util.stream.LongStream.range(0, n).boxed().toList();
    }
  }
}
