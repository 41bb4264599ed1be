package io.runnel.kernel.smtp.client;

import static io.runnel.kernel.smtp.client.ClientFixture.await;
import static io.runnel.kernel.smtp.client.ClientFixture.config;
import static io.runnel.kernel.smtp.client.ClientFixture.failure;
import static io.runnel.kernel.smtp.client.ClientFixture.message;
import static io.runnel.kernel.smtp.client.ClientFixture.quick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.runnel.kernel.tls.SelfSignedCertificate;
import io.runnel.kernel.trace.SessionEvent;
import io.runnel.kernel.trace.SessionTrace;
import io.runnel.kernel.trace.SessionTracer;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkCommand;
import io.runnel.sdk.sink.SinkFault;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Refusals, timeouts, drops and STARTTLS policies, each against a sink scripted to misbehave. */
class SmtpClientFailureTest {

    private static final SinkOptions KEEPING = SinkOptions.defaults().keepingMessages(true);

    private static ClientFixture fixture;
    private static SslContext serverTls;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        fixture = new ClientFixture();
        SelfSignedCertificate cert = SelfSignedCertificate.ensure(dir, "localhost", Clock.systemUTC());
        serverTls = SslContextBuilder.forServer(cert.certificate().toFile(), cert.privateKey().toFile()).build();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void refusedGreetingFailsWithTheServersReply() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withFaults("BANNER", SinkFault.reply(554, "5.3.2 No service")))) {
            Throwable failure = failure(fixture.connect(sink, config()));

            assertThat(failure).isInstanceOfSatisfying(SmtpClientException.Rejected.class, rejected -> {
                assertThat(rejected.stage()).isEqualTo(SmtpStage.BANNER);
                assertThat(rejected.reply().code()).isEqualTo(554);
                assertThat(rejected.isTransient()).isTrue();
            });
        }
    }

    @ParameterizedTest(name = "a server that never answers {0} times out in stage {1} (chunking {2})")
    @CsvSource({"BANNER, BANNER, true", "EHLO, EHLO, true", "MAIL, MAIL, true", "RCPT, RCPT, true", "DATA, DATA, false",
            "., DATA_DOT, false", "BDAT, BDAT_LAST, true"})
    void eachPhaseTimesOutAndNamesItsStage(String verb, SmtpStage stage, boolean chunking) throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withFaults(verb, new SinkFault.Stall()))) {
            CompletableFuture<TransactionResult> sent = fixture.connect(sink, quick().withChunking(chunking))
                    .thenCompose(connection -> connection.send(message("x\r\n", "a@example.com")));

            assertThat(failure(sent)).isInstanceOfSatisfying(SmtpClientException.Timeout.class, timeout -> {
                assertThat(timeout.stage()).isEqualTo(stage);
                assertThat(timeout.after()).isEqualTo(Duration.ofMillis(300));
                assertThat(timeout.reply().code()).isEqualTo(421);
            });
        }
    }

    @Test
    void lockStepRecipientTimeoutNamesTheRcptStage() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withExtensions("SIZE").withFaults("RCPT", new SinkFault.Normal(), new SinkFault.Stall()))) {
            SmtpConnection connection = fixture.open(sink, quick());

            Throwable failure = failure(connection.send(message("x\r\n", "a@example.com", "b@example.com")));

            assertThat(failure).isInstanceOf(SmtpClientException.Timeout.class);
            assertThat(((SmtpClientException) failure).stage()).isEqualTo(SmtpStage.RCPT);
            assertThat(connection.isReusable()).isFalse();
        }
    }

    @Test
    void startTlsTimeoutNamesTheStartTlsStage() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withStartTls(serverTls).withFaults("STARTTLS", new SinkFault.Stall()))) {
            Throwable failure = failure(fixture.connect(sink, quick()));

            assertThat(failure).isInstanceOf(SmtpClientException.Timeout.class);
            assertThat(((SmtpClientException) failure).stage()).isEqualTo(SmtpStage.STARTTLS);
        }
    }

    @Test
    void stalledResetCostsTheConnectionButKeepsTheResult() throws Exception {
        RecipientPolicy refuseAll = recipient -> SinkReply.of(550, "5.1.1 No such user");
        try (SmtpSink sink = SmtpSink.start(KEEPING.withRecipientPolicy(refuseAll).withFaults("RSET", new SinkFault.Stall()))) {
            SmtpConnection connection = fixture.open(sink, quick());

            TransactionResult result = await(connection.send(message("x\r\n", "a@example.com")));

            assertThat(result.replyFor(0).code()).isEqualTo(550);
            assertThat(connection.isReusable()).isFalse();
        }
    }

    @Test
    void connectTimeoutIsReportedAsTimeoutInTheConnectStage() throws Exception {
        // A listener that never accepts and has a full backlog drops further SYNs, so connecting hangs.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            boolean hangs = false;
            try {
                for (int i = 0; i < 16 && !hangs; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        s.connect(listener.getLocalSocketAddress(), 200);
                    } catch (SocketTimeoutException e) {
                        hangs = true;
                    }
                }
                assumeTrue(hangs, "this OS does not let connects hang on a full backlog");

                Throwable failure = failure(fixture.client.connect((InetSocketAddress) listener.getLocalSocketAddress(), "localhost", quick()));

                assertThat(failure).isInstanceOf(SmtpClientException.Timeout.class);
                assertThat(((SmtpClientException) failure).stage()).isEqualTo(SmtpStage.CONNECT);
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void refusedConnectionIsConnectFailed() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Throwable failure = failure(fixture.client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "localhost", config()));

        assertThat(failure).isInstanceOf(SmtpClientException.ConnectFailed.class);
        assertThat(((SmtpClientException) failure).reply().code()).isEqualTo(421);
    }

    @ParameterizedTest(name = "chunking {0}: lost in stage {1}")
    @CsvSource({"false, DATA_DOT", "true, BDAT_LAST"})
    void connectionDroppedDuringDataIsConnectionLostAndNotReused(boolean chunking, SmtpStage stage) throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withFaults(".", new SinkFault.Drop()))) {
            SmtpConnection connection = fixture.open(sink, config().withChunking(chunking));

            Throwable failure = failure(connection.send(message("x\r\n", "a@example.com")));

            assertThat(failure).isInstanceOf(SmtpClientException.ConnectionLost.class);
            assertThat(((SmtpClientException) failure).stage()).isEqualTo(stage);
            assertThat(connection.isReusable()).isFalse();
            assertThat(failure(connection.send(message("x\r\n", "a@example.com")))).isInstanceOf(SmtpClientException.class);
        }
    }

    @Test
    void opportunisticInsecureTlsUpgradesAndSaysEhloAgain() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withStartTls(serverTls))) {
            SmtpConnection connection = fixture.open(sink, config().withTls(TlsPolicy.OPPORTUNISTIC_INSECURE));

            TransactionResult result = await(connection.send(message("secret\r\n", "a@example.com")));

            assertThat(result.replyFor(0).code()).isEqualTo(250);
            assertThat(connection.facts().tls()).hasValueSatisfying(tls -> assertThat(tls.protocol()).startsWith("TLSv1."));
            assertThat(connection.facts().offers("STARTTLS")).isFalse();   // the EHLO after TLS
            assertThat(sink.commands()).extracting(SinkCommand::verb).startsWith("EHLO", "STARTTLS", "EHLO", "MAIL");
        }
    }

    @Test
    void opportunisticWithoutStartTlsOfferedSendsInClear() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING)) {
            SmtpConnection connection = fixture.open(sink, config().withTls(TlsPolicy.OPPORTUNISTIC));

            assertThat(await(connection.send(message("x\r\n", "a@example.com"))).replyFor(0).code()).isEqualTo(250);
            assertThat(connection.facts().tls()).isEmpty();
        }
    }

    @Test
    void verifyingPolicyRefusesASelfSignedCertificate() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withStartTls(serverTls))) {
            Throwable failure = failure(fixture.connect(sink, config().withTls(TlsPolicy.OPPORTUNISTIC)));

            assertThat(failure).isInstanceOf(SmtpClientException.TlsFailed.class);
            assertThat(((SmtpClientException) failure).stage()).isEqualTo(SmtpStage.TLS_HANDSHAKE);
            assertThat(sink.commands()).extracting(SinkCommand::verb).containsExactly("EHLO", "STARTTLS");
        }
    }

    @Test
    void requiredTlsWithoutStartTlsOfferedFailsWithTlsFailed() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING)) {
            Throwable failure = failure(fixture.connect(sink, config().withTls(TlsPolicy.REQUIRED_INSECURE)));

            assertThat(failure).isInstanceOf(SmtpClientException.TlsFailed.class);
            assertThat(((SmtpClientException) failure).stage()).isEqualTo(SmtpStage.STARTTLS);
            assertThat(sink.commands()).extracting(SinkCommand::verb).doesNotContain("MAIL", "STARTTLS");
        }
    }

    @Test
    void requiredInsecureTlsUpgrades() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withStartTls(serverTls))) {
            SmtpConnection connection = fixture.open(sink, config().withTls(TlsPolicy.REQUIRED_INSECURE));

            assertThat(connection.facts().tls()).isPresent();
        }
    }

    @Test
    void disabledTlsNeverSendsStartTlsEvenWhenOffered() throws Exception {
        try (SmtpSink sink = SmtpSink.start(KEEPING.withStartTls(serverTls))) {
            SmtpConnection connection = fixture.open(sink, config().withTls(TlsPolicy.DISABLED));

            await(connection.send(message("x\r\n", "a@example.com")));

            assertThat(connection.facts().offers("STARTTLS")).isTrue();
            assertThat(connection.facts().tls()).isEmpty();
            assertThat(sink.commands()).extracting(SinkCommand::verb).doesNotContain("STARTTLS");
        }
    }

    @Test
    void malformedReplyIsAProtocolErrorAndClosesTheConnection() {
        ClientChannelHandler session = new ClientChannelHandler(Duration.ofSeconds(5),
                new SessionTrace(new SessionTracer(Clock.systemUTC()), SessionEvent.Direction.OUTBOUND));
        EmbeddedChannel channel = new EmbeddedChannel(new ReplyDecoder(), session);

        channel.writeInbound(Unpooled.copiedBuffer("SSH-2.0-OpenSSH_9.6\r\n", StandardCharsets.US_ASCII));

        assertThat(session.banner()).isCompletedExceptionally();
        assertThat(session.failure()).hasValueSatisfying(f -> {
            assertThat(f).isInstanceOf(SmtpClientException.ProtocolError.class);
            assertThat(((SmtpClientException.ProtocolError) f).line()).isEqualTo("SSH-2.0-OpenSSH_9.6");
            assertThat(f.stage()).isEqualTo(SmtpStage.BANNER);
        });
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }
}
