package io.runnel.sdk.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.runnel.grpc.v1.AdminBounceRequest;
import io.runnel.grpc.v1.DrainRequest;
import io.runnel.grpc.v1.DrainResponse;
import io.runnel.grpc.v1.GroupBy;
import io.runnel.grpc.v1.Header;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectResponse;
import io.runnel.grpc.v1.InjectResult;
import io.runnel.grpc.v1.InspectMessageResponse;
import io.runnel.grpc.v1.ListMessagesRequest;
import io.runnel.grpc.v1.ListMessagesResponse;
import io.runnel.grpc.v1.ListSuspensionsResponse;
import io.runnel.grpc.v1.MessageDetail;
import io.runnel.grpc.v1.MessageState;
import io.runnel.grpc.v1.PluginStatus;
import io.runnel.grpc.v1.RebindRequest;
import io.runnel.grpc.v1.RecipientDetail;
import io.runnel.grpc.v1.ReloadConfigResponse;
import io.runnel.grpc.v1.RetryNowRequest;
import io.runnel.grpc.v1.Selector;
import io.runnel.grpc.v1.SessionEvent;
import io.runnel.grpc.v1.SetLogLevelRequest;
import io.runnel.grpc.v1.StatusResponse;
import io.runnel.grpc.v1.SummaryRequest;
import io.runnel.grpc.v1.SummaryResponse;
import io.runnel.grpc.v1.SummaryRow;
import io.runnel.grpc.v1.SuspendRequest;
import io.runnel.grpc.v1.SuspendResponse;
import io.runnel.grpc.v1.TraceSessionsRequest;
import io.runnel.grpc.v1.Direction;
import io.runnel.sdk.client.FakeRunnel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runnelctl end to end against a loopback stand-in server: what it sends, what it prints, how it exits. */
class RunnelCtlTest {


  private FakeRunnel server;

  @BeforeEach
  void start() throws IOException {
    server = FakeRunnel.plaintext();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  record Run(int exit, String out, String err) {
  }

  private Run run(String... args) {
    return runWithStdin("", args);
  }

  private Run runWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--server", server.target()));
    int exit = RunnelCtl.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
        .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static <B extends Message.Builder> B parse(String json, B builder) throws IOException {
    JsonFormat.parser().merge(json, builder);
    return builder;
  }

  private static SummaryRow row(String tenant, long messages, long bytes, long ageSeconds) {
    return SummaryRow.newBuilder().setTenant(tenant).setMessages(messages).setRecipients(messages * 2).setBytes(bytes)
        .setSuspended(tenant.equals("globex") ? messages : 0)
        .setOldestAge(com.google.protobuf.Duration.newBuilder().setSeconds(ageSeconds)).build();
  }

  @Test
  void summaryPrintsAnAlignedTableWithATotalRow() {
    server.summary = SummaryResponse.newBuilder().addRows(row("acme", 1200, 5_000_000, 7500)).addRows(row("globex", 3, 900, 42))
        .setTotal(row("", 1203, 5_000_900, 7500)).build();

    Run r = run("queue", "summary", "--by", "tenant", "--domain", "example.net");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("""
        TENANT  MESSAGES  RECIPIENTS     SIZE  SUSPENDED  DEFERRED  OLDEST
        acme        1200        2400  4.8 MiB          0         0   2h05m
        globex         3           6    900 B          3         0     42s
        TOTAL       1203        2406  4.8 MiB          0         0   2h05m
        """);
    assertThat(server.last(SummaryRequest.class).getGroupByList()).containsExactly(GroupBy.GROUP_BY_TENANT);
    assertThat(server.last(SummaryRequest.class).getFilter().getDomain()).isEqualTo("example.net");
  }

  @Test
  void summaryJsonIsOneDocumentWithProtoFieldNames() throws IOException {
    server.summary = SummaryResponse.newBuilder().addRows(row("acme", 2, 100, 5)).setTotal(row("", 2, 100, 5)).build();

    Run r = run("queue", "summary", "--by", "tenant,campaign", "--json");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("\"oldest_age\": \"5s\"");
    assertThat(parse(r.out(), SummaryResponse.newBuilder()).build()).isEqualTo(server.summary);
    assertThat(server.last(SummaryRequest.class).getGroupByList()).containsExactly(GroupBy.GROUP_BY_TENANT, GroupBy.GROUP_BY_CAMPAIGN);
  }

  @Test
  void anUnknownDimensionIsAUsageError() {
    Run r = run("queue", "summary", "--by", "planet");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'planet' is not a dimension; use tenant, campaign, domain, site, source, pool, queue");
  }

  private void addMessages(int n) {
    for (int i = 0; i < n; i++) {
      server.addMessage(MessageDetail.newBuilder().setId(String.format("%032x", i)).setSender("news@acme.example")
          .addRecipients(RecipientDetail.newBuilder().setAddress("u" + i + "@example.net").setState("PENDING"))
          .addRecipients(RecipientDetail.newBuilder().setAddress("v" + i + "@example.net").setState("PENDING"))
          .addQueues("spring:acme@example.net").setTenant("acme").setCampaign("spring").setSize(4096).setAttempts(i)
          .setReceivedAt(FakeRunnel.CREATED).setState(MessageState.MESSAGE_STATE_SCHEDULED)
          .putMetadata("customer", "42").putReception("client_address", "127.0.0.1")
          .addHeaders(Header.newBuilder().setName("Subject").setValue("Spring sale")).build());
    }
  }

  @Test
  void listFollowsPagesUpToTheLimitAndSaysWhenMoreRemain() throws IOException {
    addMessages(5);

    Run r = run("queue", "list", "--tenant", "acme", "--limit", "3", "--state", "scheduled", "--min-attempts", "1");

    assertThat(r.exit()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("STATE", "ATTEMPTS", "RECIPIENTS");
    assertThat(lines).hasSize(5).last().isEqualTo("(more queued: raise --limit, or --limit 0 for all)");
    assertThat(lines.get(1)).startsWith("00000000000000000000000000000000  scheduled").contains("u0@example.net +1", "4.0 KiB");
    ListMessagesRequest sent = server.last(ListMessagesRequest.class);
    assertThat(sent.getFilter().getTenant()).isEqualTo("acme");
    assertThat(sent.getState()).isEqualTo(MessageState.MESSAGE_STATE_SCHEDULED);
    assertThat(sent.getMinAttempts()).isEqualTo(1);

    Run all = run("queue", "list", "--limit", "0", "--json");
    ListMessagesResponse listed = parse(all.out(), ListMessagesResponse.newBuilder()).build();
    assertThat(listed.getMessagesCount()).isEqualTo(5);
    assertThat(listed.getNextPageToken()).isEmpty();
  }

  @Test
  void inspectShowsEnvelopeRecipientsAndHeaders() throws IOException {
    addMessages(1);
    String id = "00000000000000000000000000000000";

    Run r = run("queue", "inspect", id, "--headers");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("id:                       " + id, "tenant:                   acme",
        "meta customer:            42", "reception client_address: 127.0.0.1", "u0@example.net  PENDING", "Subject: Spring sale");
    Run json = run("queue", "inspect", id, "--json");
    assertThat(parse(json.out(), InspectMessageResponse.newBuilder()).getMessage().getCampaign()).isEqualTo("spring");
  }

  @Test
  void inspectingAnUnknownMessageExitsWithNotFound() {
    Run r = run("queue", "inspect", "ffffffffffffffffffffffffffffffff");
    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.err()).contains("runnelctl: NOT_FOUND: no message ffffffffffffffffffffffffffffffff");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void suspendListAndResumeByIdOrSelector() throws IOException {
    Run suspended = run("queue", "suspend", "--tenant", "acme", "--reason", "complaint spike", "--for", "1h30m");
    assertThat(suspended.exit()).isZero();
    assertThat(suspended.out()).startsWith("suspended tenant=acme until 2027-01-15T09:30:00Z (id s1, 0 messages queued now)");
    assertThat(server.last(SuspendRequest.class).getDuration().getSeconds()).isEqualTo(5400);
    run("queue", "suspend", "--domain", "example.org", "--reason", "maintenance", "--json");

    Run listed = run("queue", "suspensions");
    assertThat(listed.out().lines()).containsExactly(
        "ID  SELECTOR            REASON           CREATED               EXPIRES",
        "s1  tenant=acme         complaint spike  2027-01-15T08:00:00Z  2027-01-15T09:30:00Z",
        "s2  domain=example.org  maintenance      2027-01-15T08:00:00Z  never");
    assertThat(parse(run("queue", "suspensions", "--json").out(), ListSuspensionsResponse.newBuilder()).getSuspensionsCount()).isEqualTo(2);

    assertThat(run("queue", "resume", "s1").out()).contains("s1  tenant=acme");
    assertThat(run("queue", "resume", "--domain", "example.org").out()).contains("s2  domain=example.org");
    assertThat(run("queue", "suspensions").out().lines()).hasSize(1);
    assertThat(run("queue", "resume", "s1").exit()).isEqualTo(4);
  }

  @Test
  void commandsThatHoldOrBounceRefuseAnEmptySelection() {
    Run r = run("queue", "suspend", "--reason", "everything?");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("give at least one of --tenant, --campaign, --domain, --site, --source");
    assertThat(run("queue", "bounce", "--reason", "x").exit()).isEqualTo(2);
    assertThat(run("queue", "resume").exit()).isEqualTo(2);
    assertThat(run("queue", "rebind", "--tenant", "acme").err()).contains("give --to-tenant and/or --to-campaign");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void bounceListAndCancel() {
    addMessages(2);
    Run bounced = run("queue", "bounce", "--campaign", "spring", "--reason", "sent by mistake", "--for", "2h", "--no-dsn");
    assertThat(bounced.exit()).isZero();
    assertThat(bounced.out()).isEqualTo("bounced 2 messages of campaign=spring; new ones until 2027-01-15T10:00:00Z (id b1)\n");
    AdminBounceRequest sent = server.last(AdminBounceRequest.class);
    assertThat(sent.getSuppressDsn()).isTrue();
    assertThat(sent.getDuration().getSeconds()).isEqualTo(7200);

    assertThat(run("queue", "bounces").out().lines()).containsExactly(
        "ID  SELECTOR         REASON           BOUNCED  CREATED               EXPIRES",
        "b1  campaign=spring  sent by mistake        2  2027-01-15T08:00:00Z  2027-01-15T10:00:00Z");
    assertThat(run("queue", "cancel-bounce", "b1").out()).isEqualTo("cancelled bounce b1 (campaign=spring, 2 bounced)\n");
    assertThat(run("queue", "cancel-bounce", "b1").exit()).isEqualTo(4);
  }

  @Test
  void rebindSendsOnlyTheTargetsGiven() {
    server.rebound = 17;
    Run r = run("queue", "rebind", "--tenant", "acme", "--campaign", "spring", "--to-tenant", "acme-eu", "--retry-now");
    assertThat(r.out()).isEqualTo("rebound 17 messages\n");
    RebindRequest sent = server.last(RebindRequest.class);
    assertThat(sent.getSelector()).isEqualTo(Selector.newBuilder().setTenant("acme").setCampaign("spring").build());
    assertThat(sent.getTenant()).isEqualTo("acme-eu");
    assertThat(sent.hasCampaign()).isFalse();
    assertThat(sent.getRetryNow()).isTrue();

    run("queue", "rebind", "--tenant", "acme", "--to-campaign", "");
    assertThat(server.last(RebindRequest.class).hasCampaign()).isTrue();
    assertThat(run("queue", "rebind", "--tenant", "acme", "--to-tenant", "x", "--json").out()).contains("\"rebound\": \"17\"");
  }

  @Test
  void retryWithoutOptionsHurriesEverything() {
    server.retried = 9;
    assertThat(run("queue", "retry").out()).isEqualTo("made 9 messages due now\n");
    assertThat(server.last(RetryNowRequest.class).getSelector()).isEqualTo(Selector.getDefaultInstance());
    run("queue", "retry", "--site", "mx.example.net");
    assertThat(server.last(RetryNowRequest.class).getSelector().getSite()).isEqualTo("mx.example.net");
  }

  @Test
  void injectComposesAMessageFromParts() throws IOException {
    Run r = run("inject", "--from", "Alice <alice@example.com>", "--to", "bob@example.net", "--subject", "Hi",
        "--text", "Hello", "--header", "List-Unsubscribe: <mailto:u@example.com>", "--tenant", "acme", "--campaign",
        "spring", "--meta", "customer=42", "--meta", "batch=7", "--json");

    assertThat(r.exit()).isZero();
    InjectResponse response = parse(r.out(), InjectResponse.newBuilder()).build();
    assertThat(response.getQueuesList()).containsExactly("spring:acme@example.net");
    InjectRequest sent = server.last(InjectRequest.class);
    assertThat(sent.getComposed().getFrom()).isEqualTo("Alice <alice@example.com>");
    assertThat(sent.getComposed().getHeaders(0)).isEqualTo(Header.newBuilder().setName("List-Unsubscribe").setValue("<mailto:u@example.com>").build());
    assertThat(sent.getMetadataMap()).containsEntry("customer", "42").containsEntry("batch", "7");
    assertThat(sent.getEnvelopeRecipientsList()).isEmpty();
  }

  @Test
  void injectSendsAnEmlFileOrStdinAsRawContent(@TempDir Path dir) throws IOException {
    Path eml = dir.resolve("hello.eml");
    Files.writeString(eml, "From: a@example.com\r\nTo: b@example.net\r\nSubject: hi\r\n\r\nbody\r\n");

    Run file = run("inject", eml.toString(), "--rcpt", "b@example.net", "--sender", "bounces@example.com");
    assertThat(file.exit()).isZero();
    assertThat(file.out()).matches("accepted [0-9a-f]{32} into :@example.net\n");
    assertThat(server.last(InjectRequest.class).getRaw().toStringUtf8()).isEqualTo(Files.readString(eml));
    assertThat(server.last(InjectRequest.class).getEnvelopeSender()).isEqualTo("bounces@example.com");

    Run stdin = runWithStdin("Subject: piped\r\n\r\nx\r\n", "inject", "--rcpt", "c@example.org");
    assertThat(stdin.exit()).isZero();
    assertThat(server.last(InjectRequest.class).getRaw().toStringUtf8()).startsWith("Subject: piped");
  }

  @Test
  void injectingSeveralFilesUsesOneStreamAndExitsWithTheFirstRefusal(@TempDir Path dir) throws IOException {
    Path good = Files.writeString(dir.resolve("good.eml"), "Subject: ok\r\n\r\nx\r\n");
    Path bad = Files.writeString(dir.resolve("bad.eml"), "Subject: REFUSE\r\n\r\nx\r\n");

    Run r = run("inject", good.toString(), bad.toString(), good.toString(), "--rcpt", "b@example.net");

    assertThat(r.exit()).isEqualTo(1); // FAILED_PRECONDITION: refused by policy
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("FILE").contains("RESULT", "ID OR ERROR");
    assertThat(lines.get(2)).contains("bad.eml", "FAILED_PRECONDITION", "550 5.7.1 refused by a rule");
    Run json = run("inject", good.toString(), good.toString(), "--rcpt", "b@example.net", "--json");
    assertThat(json.exit()).isZero();
    List<String> results = json.out().lines().toList();
    assertThat(results).hasSize(2);
    assertThat(parse(results.get(1), InjectResult.newBuilder()).getIndex()).isEqualTo(1);
  }

  @Test
  void injectRejectsMixedOrIncompleteInputBeforeConnecting(@TempDir Path dir) {
    assertThat(run("inject", "--subject", "x").err()).contains("add --from");
    assertThat(run("inject", dir.resolve("missing.eml").toString(), "--rcpt", "a@b.c").err()).contains("cannot read");
    assertThat(run("inject", "-").err()).contains("add --rcpt");
    assertThat(run("inject", "--from", "a@b.c", "--header", "no colon").exit()).isEqualTo(2);
    assertThat(server.requests).isEmpty();
  }

  @Test
  void injectionTheServerFindsInvalidExitsWithFive() {
    server.failNext.set(Status.INVALID_ARGUMENT.withDescription("bad recipient address \"b@\""));
    Run r = run("inject", "--from", "a@example.com", "--to", "b@example.net");
    assertThat(r.exit()).isEqualTo(5);
    assertThat(r.err()).contains("INVALID_ARGUMENT: bad recipient address");
  }

  @Test
  void injectsARealWorldMessageByteForByte() throws IOException {
    Path eml = testData("bounces/flanker/mailbox-full.eml");
    Run r = run("inject", eml.toString(), "--rcpt", "bob@example.net");
    assertThat(r.exit()).isZero();
    assertThat(server.last(InjectRequest.class).getRaw().toByteArray()).isEqualTo(Files.readAllBytes(eml));
  }

  /** shared/testdata beside the repository (searched upwards from the module folder). */
  private static Path testData(String file) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/testdata").resolve(file);
      if (Files.isRegularFile(candidate)) return candidate;
    }
    throw new IllegalStateException("shared/testdata/" + file + " not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void statusPrintsFieldsAndPlugins() throws IOException {
    server.status = StatusResponse.newBuilder().setVersion("0.1.0").setHostname("mx1.acme.example").setSpooledMessages(12)
        .setSpooledBytes(2048).setUptime(com.google.protobuf.Duration.newBuilder().setSeconds(90_061))
        .addListeners("default 127.0.0.1:2525")
        .addPlugins(PluginStatus.newBuilder().setId("dkim").setVersion("0.1.0").setState("STARTED")).build();

    Run r = run("admin", "status");

    assertThat(r.out()).contains("version:          0.1.0\n", "uptime:           1d01h\n", "spooled:          12 messages, 2.0 KiB\n",
        "listener:         default 127.0.0.1:2525\n", "dkim    0.1.0    STARTED\n");
    assertThat(parse(run("admin", "status", "--json").out(), StatusResponse.newBuilder()).build()).isEqualTo(server.status);
  }

  @Test
  void aRefusedReloadPrintsWhyAndExitsNonZero() {
    server.reload = ReloadConfigResponse.newBuilder().setApplied(false).addChanged("conf/runnel.toml")
        .addErrors("conf/runnel.toml:12: queues.retry_interval: not a duration").build();

    Run r = run("admin", "reload");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("refused; the running configuration stays:\n  conf/runnel.toml:12: queues.retry_interval: not a duration\n");
    server.reload = ReloadConfigResponse.newBuilder().setApplied(true).addChanged("conf/shaping.toml").build();
    Run applied = run("admin", "reload");
    assertThat(applied.exit()).isZero();
    assertThat(applied.out()).isEqualTo("applied: conf/shaping.toml\n");
  }

  @Test
  void logLevelMapsRootAndInheritAndADuration() {
    Run r = run("admin", "log-level", "io.runnel.kernel.delivery", "debug", "--for", "10m");
    assertThat(r.out()).isEqualTo("io.runnel.kernel.delivery: INFO -> DEBUG until 2027-01-15T08:10:00Z\n");
    SetLogLevelRequest sent = server.last(SetLogLevelRequest.class);
    assertThat(sent.getLevel()).isEqualTo("DEBUG");
    assertThat(sent.getDuration().getSeconds()).isEqualTo(600);

    run("admin", "log-level", "root", "inherit");
    assertThat(server.last(SetLogLevelRequest.class).getLogger()).isEmpty();
    assertThat(server.last(SetLogLevelRequest.class).getLevel()).isEmpty();
    assertThat(run("admin", "log-level", "root", "loud").exit()).isEqualTo(2);
  }

  @Test
  void traceStopsAfterCountAndCancelsTheStream() throws IOException {
    Run r = run("admin", "trace", "--direction", "inbound", "--peer", "127.0.0.0/8", "--count", "2");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines()).containsExactly("2027-01-15T08:00:00Z c1 in < 127.0.0.1:40001 EHLO client1",
        "2027-01-15T08:00:00Z c2 in < 127.0.0.1:40002 EHLO client2");
    TraceSessionsRequest sent = server.last(TraceSessionsRequest.class);
    assertThat(sent.getDirection()).isEqualTo(Direction.DIRECTION_INBOUND);
    assertThat(sent.getPeer()).isEqualTo("127.0.0.0/8");

    Run json = run("admin", "trace", "--for", "1s", "--json");
    assertThat(json.out().lines()).hasSize(3);
    assertThat(parse(json.out().lines().toList().get(2), SessionEvent.newBuilder()).getSessionId()).isEqualTo("c3");
  }

  @Test
  void drainThatLeavesSessionsOpenExitsNonZero() {
    server.drain = DrainResponse.newBuilder().setDrained(false).setSessionsRemaining(3).build();
    Run r = run("admin", "drain", "--wait", "45s");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("not drained: 3 sessions still open\n");
    assertThat(server.last(DrainRequest.class).getTimeout().getSeconds()).isEqualTo(45);
    server.drain = DrainResponse.newBuilder().setDrained(true).build();
    assertThat(run("admin", "drain").exit()).isZero();
  }

  @Test
  void healthExitsZeroOnlyWhenServing() {
    assertThat(run("health").out()).isEqualTo("SERVING\n");
    server.health.setStatus("runnel.v1.QueueService", ServingStatus.NOT_SERVING);
    Run r = run("health", "runnel.v1.QueueService");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("NOT_SERVING\n");
  }

  @Test
  void eachFailureClassHasItsOwnExitCode() throws IOException {
    server.failNext.set(Status.PERMISSION_DENIED);
    assertThat(run("queue", "suspensions").exit()).isEqualTo(6);
    server.failNext.set(Status.INTERNAL.withDescription("boom"));
    assertThat(run("queue", "suspensions").exit()).isEqualTo(1);
    server.failNext.set(Status.DEADLINE_EXCEEDED);
    assertThat(run("queue", "suspensions").exit()).isEqualTo(3);

    try (FakeRunnel locked = FakeRunnel.withToken("the-right-token-0123")) {
      String[] base = {"admin", "status", "--server", locked.target()};
      assertThat(RunnelCtl.commandLine(System.in).setErr(new PrintWriter(new StringWriter())).execute(base)).isEqualTo(6);
      assertThat(RunnelCtl.commandLine(System.in).setOut(new PrintWriter(new StringWriter()))
          .execute(concat(base, "--token", "the-right-token-0123"))).isZero();
    }
  }

  @Test
  void aTokenFileIsReadAndSentAsBearer(@TempDir Path dir) throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "from-a-file-0123456789\n");
    assertThat(run("queue", "suspensions", "--token-file", token.toString()).exit()).isZero();
    assertThat(server.authorization.get()).isEqualTo("Bearer from-a-file-0123456789");
    assertThat(run("queue", "suspensions", "--token-file", dir.resolve("nope").toString()).exit()).isEqualTo(2);
    assertThat(run("queue", "suspensions", "--cert", token.toString()).err()).contains("--cert and --key go together");
  }

  @Test
  void anUnreachableServerExitsWithThree() {
    String target = server.target();
    server.close();
    StringWriter err = new StringWriter();
    int exit = RunnelCtl.commandLine(System.in).setErr(new PrintWriter(err))
        .execute("queue", "summary", "--server", target, "--timeout", "5s");
    assertThat(exit).isEqualTo(3);
    assertThat(err.toString()).startsWith("runnelctl: cannot reach " + target + ": UNAVAILABLE");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run("queue").exit()).isEqualTo(2);
    assertThat(run("queue", "suspend", "--tenant", "a", "--reason", "r", "--for", "soon").err())
        .contains("'soon' is not a duration: write a number and a unit (ms, s, m, h, d), e.g. 90s, 30m, 2h, 7d or 1h30m");
    assertThat(run("nonsense").exit()).isEqualTo(2);
  }

  @Test
  void completionPrintsABashScriptCoveringEverySubcommand() {
    Run r = run("completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_runnelctl",
        "cancel-bounce", "suspensions", "log-level", "--token-file", "--tls-ca");
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
  }
}
