package io.runnel.kernel.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.grpc.v1.InjectionServiceGrpc;
import io.runnel.kernel.Closing;
import io.runnel.kernel.Journal;
import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Txn;

/**
 * A spool that fills up, end to end: a real daemon with a small LMDB map, mail held at a deferring sink until the map
 * is full, then the sink accepts again. Every message the daemon acknowledged with 250 must arrive exactly once;
 * every refusal must be 452 4.3.1 (RESOURCE_EXHAUSTED over gRPC) with nothing of the message left behind, and the
 * daemon must take mail again without a restart.
 */
class SpoolFullEndToEndTest {

    private static final Pattern MESSAGE_ID = Pattern.compile("\r\nMessage-ID: <([^>]+)>\r\n");
    private static final int BODY_BYTES = 256 * 1024;

    @TempDir
    Path home;

    private final AtomicBoolean holding = new AtomicBoolean(true);
    /** Held separately: carol@held.example's mail (bob's follows {@link #holding}). */
    private final AtomicBoolean holdingCarol = new AtomicBoolean(true);
    /** RCPT TO:<dave@held.example> the sink has been asked (only the two-recipient message goes to dave). */
    private final AtomicInteger daveTries = new AtomicInteger();
    private SmtpSink sink;
    private TestDaemon daemon;

    @AfterEach
    void stop() throws Exception {
        Closing.all(daemon, sink);
    }

    private void start(String spool) throws Exception {
        sink = SmtpSink.start(SinkOptions.defaults().withPort(0).keepingMessages(true).withRecipientPolicy(recipient -> {
            if (recipient.contains("dave@")) {
                daveTries.incrementAndGet();
            }
            return (recipient.contains("carol@") ? holdingCarol : holding).get() ? SinkReply.of(451, "4.3.2 Held by the test")
                    : RecipientPolicy.ACCEPTED;
        }));
        daemon = TestDaemon.start(home, """
                [spool]
                sync = "none"
                %s

                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [queues]
                retry_interval = "1s"
                max_retry_interval = "1s"
                """.formatted(spool, sink.port()));
    }

    @Test
    void aFullMapRefusesWith452UntilHeldMailLeavesThenTakesMailAgainAndDeliversEveryAcknowledgedMessageOnce()
            throws Exception {
        start("map_size = \"4MiB\"\nmin_free = 1"); // min_free 1 byte: MAIL FROM passes, the commit itself decides
        List<String> acknowledged = new ArrayList<>();
        String refusedAfterData;
        int filled;
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            String reply;
            int n = 0;
            do {
                String id = "fill-" + n++;
                reply = client.send("bob@held.example", message(id));
                if (reply.startsWith("250")) {
                    acknowledged.add(id);
                }
                assertThat(n).as("the 4MiB map never filled").isLessThan(40);
            } while (reply.startsWith("250"));
            refusedAfterData = "fill-" + (n - 1);
            assertThat(reply).startsWith("452 4.3.1");
            assertThat(acknowledged).hasSizeGreaterThan(5);
            filled = acknowledged.size();

            // the same session goes on: BDAT is refused the same way, a declared SIZE beyond the room already at MAIL
            assertThat(client.command("NOOP")).startsWith("250");
            assertThat(client.sendChunk("alice@sender.example", "bob@held.example", messageBytes("bdat-refused")))
                    .startsWith("452 4.3.1");
            assertThat(client.command("MAIL FROM:<alice@sender.example> SIZE=" + (4 << 20))).startsWith("452 4.3.1");
            assertThat(client.command("NOOP")).startsWith("250");
        }
        assertThatThrownBy(() -> inject("grpc-refused")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(daemon.spooledIds()).hasSize(acknowledged.size()); // nothing of a refused message was kept
        assertThat(daemon.get(LmdbSpool.class).stats().writesFailed()).isGreaterThanOrEqualTo(3);

        long released = System.nanoTime();
        holding.set(false); // the held mail is delivered at its next retry and leaves the spool
        String firstAfter = null;
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            for (int i = 0; i < 3; i++) {
                String id = "after-" + i;
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> sendOrRefused(client, id));
                acknowledged.add(id);
                firstAfter = firstAfter == null ? id : firstAfter;
            }
        }
        long acceptingAgainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
        await().atMost(Duration.ofSeconds(20)).ignoreException(StatusRuntimeException.class).until(() -> {
            inject("grpc-after");
            return true;
        });
        acknowledged.add("grpc-after");

        await().atMost(Duration.ofSeconds(30)).until(() -> daemon.spooledIds().isEmpty()
                && sink.messageCount() >= acknowledged.size());
        Map<String, Integer> arrivals = arrivals(sink.received());
        assertThat(arrivals.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged); // refused ones never arrive
        assertThat(arrivals.values()).containsOnly(1);
        assertThat(arrivals).doesNotContainKeys(refusedAfterData, "bdat-refused", "grpc-refused");
        await().atMost(Duration.ofSeconds(10)).until(() -> Journal.count(home, "Delivery") == acknowledged.size());
        System.out.printf("spool full: %d messages of %d KiB filled a 4MiB map; accepting again %d ms after the sink "
                + "took mail again%n", filled, BODY_BYTES / 1024, acceptingAgainMillis);
    }

    @Test
    void aDeliveryStateTheFullSpoolRefusesIsKeptSoNoRecipientGetsTheMessageTwice() throws Exception {
        start("map_size = \"4MiB\"\nmin_free = 1");
        LmdbSpool spool = daemon.get(LmdbSpool.class);
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            assertThat(client.command("MAIL FROM:<alice@sender.example>")).startsWith("250");
            assertThat(client.command("RCPT TO:<carol@held.example>")).startsWith("250");
            assertThat(client.command("RCPT TO:<dave@held.example>")).startsWith("250");
            assertThat(client.command("DATA")).startsWith("354");
            assertThat(client.command(message("both", 64 * 1024) + ".")).startsWith("250");
        }
        long failedBefore;
        // a reader holding its snapshot (a backup, a slow scan) keeps LMDB from reusing freed pages: once the map is
        // full, even a small update of a message's state is refused
        try (Txn<ByteBuffer> pinned = spool.pinSnapshot(); SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            int n = 0;
            for (int size : new int[] {BODY_BYTES, 16 * 1024, 2 * 1024}) {
                while (sendOrRefused(client, "fill-" + n++, size)) {
                    assertThat(n).as("the 4MiB map never filled").isLessThan(200);
                }
            }
            failedBefore = spool.stats().writesFailed();
            holdingCarol.set(false); // carol's copy goes at the next retry; the state that says so cannot be written
            await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(sink.received(), "both", "carol@held.example") == 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> spool.stats().writesFailed() > failedBefore + 2);
            int triesSoFar = daveTries.get();
            // three more tries of dave's copy, one a second, with the state still unsaved
            await().atMost(Duration.ofSeconds(30)).until(() -> daveTries.get() >= triesSoFar + 3);
            assertThat(deliveries(sink.received(), "both", "carol@held.example")).as("carol got the message again")
                    .isEqualTo(1);
        }

        holding.set(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.spooledIds().isEmpty());
        assertThat(deliveries(sink.received(), "both", "carol@held.example")).isEqualTo(1);
        assertThat(deliveries(sink.received(), "both", "dave@held.example")).isEqualTo(1);
    }

    /** How many times the sink took message {@code id} for {@code recipient}. */
    private static long deliveries(List<ReceivedMessage> received, String id, String recipient) {
        return received.stream().filter(m -> m.recipients().contains(recipient))
                .filter(m -> new String(m.content(), StandardCharsets.US_ASCII).contains("\r\nMessage-ID: <" + id + ">\r\n"))
                .count();
    }

    @Test
    void mailFromIsRefusedWith452WhileTheDeclaredSizeOrMinFreeDoesNotFitAndAcceptedOnceSpaceReturns() throws Exception {
        start("map_size = \"4MiB\"\nmin_free = \"3584KiB\"");
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            assertThat(client.command("MAIL FROM:<alice@sender.example> SIZE=" + (2 << 20))).startsWith("452 4.3.1");
            assertThat(client.command("MAIL FROM:<alice@sender.example> SIZE=1000")).startsWith("250");
            assertThat(client.command("RSET")).startsWith("250");
            assertThat(client.send("bob@held.example", message("held-1"))).startsWith("250");
            assertThat(client.send("bob@held.example", message("held-2"))).startsWith("250");
            // two held messages (2 x 260KiB) leave less than min_free (3.5MiB) of the 4MiB map: refused before any
            // content (the room is measured at most every 500 ms, hence the wait)
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> mailRefused(client));
            assertThat(client.command("NOOP")).startsWith("250"); // the refusals are not errors: the session goes on

            holding.set(false);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sendOrRefused(client, "after"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> daemon.spooledIds().isEmpty() && sink.messageCount() == 3);
        assertThat(arrivals(sink.received())).containsOnlyKeys("held-1", "held-2", "after");
    }

    private static boolean mailRefused(SmtpTestClient client) throws IOException {
        String mail = client.command("MAIL FROM:<alice@sender.example>");
        if (mail.startsWith("452 4.3.1")) {
            return true;
        }
        assertThat(mail).startsWith("250");
        assertThat(client.command("RSET")).startsWith("250");
        return false;
    }

    /** True when the message was accepted; false when refused with 452 4.3.1 (at MAIL FROM or after the content). */
    private static boolean sendOrRefused(SmtpTestClient client, String id) throws IOException {
        return sendOrRefused(client, id, BODY_BYTES);
    }

    private static boolean sendOrRefused(SmtpTestClient client, String id, int bytes) throws IOException {
        if (mailRefused(client)) {
            return false;
        }
        String reply = client.send("bob@held.example", message(id, bytes));
        if (reply.startsWith("452 4.3.1")) {
            return false;
        }
        assertThat(reply).startsWith("250");
        return true;
    }

    private void inject(String id) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(daemon.grpcAddress()).usePlaintext().build();
        try {
            InjectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).inject(
                    InjectRequest.newBuilder().setEnvelopeSender("alice@sender.example")
                            .addEnvelopeRecipients("bob@held.example")
                            .setRaw(ByteString.copyFrom(message(id).getBytes(StandardCharsets.US_ASCII))).build());
        } finally {
            channel.shutdownNow();
        }
    }

    private static String message(String id) {
        return message(id, BODY_BYTES);
    }

    private static String message(String id, int bytes) {
        StringBuilder text = new StringBuilder("From: alice@sender.example\r\nTo: bob@held.example\r\nMessage-ID: <")
                .append(id).append(">\r\nSubject: ").append(id).append("\r\n\r\n");
        String line = "x".repeat(998) + "\r\n";
        while (text.length() < bytes) {
            text.append(line);
        }
        return text.toString();
    }

    private static byte[] messageBytes(String id) {
        return message(id).getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<String, Integer> arrivals(List<ReceivedMessage> received) {
        Map<String, Integer> count = new HashMap<>();
        for (ReceivedMessage m : received) {
            Matcher id = MESSAGE_ID.matcher(new String(m.content(), StandardCharsets.US_ASCII));
            assertThat(id.find()).isTrue();
            count.merge(id.group(1), 1, Integer::sum);
        }
        return count;
    }
}
