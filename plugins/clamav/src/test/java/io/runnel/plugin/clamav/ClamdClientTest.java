package io.runnel.plugin.clamav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.scan.ScanResult;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wire protocol against a scripted fake clamd, and deadlines against a server that never answers. */
class ClamdClientTest {

    private static final Duration SHORT = Duration.ofSeconds(5);

    /** One connection: reads the command and INSTREAM chunks, records them, answers {@code reply}. */
    record Recorded(String command, List<Integer> chunkLengths, byte[] data) {
    }

    private static CompletableFuture<Recorded> fakeClamd(ServerSocket server, String reply) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = server.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                ByteArrayOutputStream command = new ByteArrayOutputStream();
                for (int b = in.read(); b != 0; b = in.read()) {
                    command.write(b);
                }
                List<Integer> lengths = new ArrayList<>();
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                if (command.toString(StandardCharsets.US_ASCII).equals("zINSTREAM")) {
                    for (int length = in.readInt(); ; length = in.readInt()) {
                        lengths.add(length);
                        if (length == 0) {
                            break;
                        }
                        data.write(in.readNBytes(length));
                    }
                }
                socket.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
                return new Recorded(command.toString(StandardCharsets.US_ASCII), lengths, data.toByteArray());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static ServerSocket server() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    private static ClamdClient client(ServerSocket server, Duration timeout, int chunk) {
        return new ClamdClient("127.0.0.1", server.getLocalPort(), timeout, chunk);
    }

    @Test
    void theMessageIsSentAsLengthPrefixedChunksEndedByAnEmptyOne() throws Exception {
        TestMessage message = TestMessage.plain("0123456789".repeat(3));
        byte[] expected = message.toBytes();
        try (ServerSocket server = server()) {
            CompletableFuture<Recorded> recorded = fakeClamd(server, "stream: OK\0");
            ClamdScanner scanner = TestContext.scanner(Map.of("port", (long) server.getLocalPort(),
                    "chunk_size", 16L));

            assertThat(scanner.scan(message)).isEqualTo(new ScanResult.Clean());

            Recorded r = recorded.get(5, TimeUnit.SECONDS);
            assertThat(r.command()).isEqualTo("zINSTREAM");
            assertThat(r.data()).isEqualTo(expected);
            List<Integer> lengths = r.chunkLengths();
            assertThat(lengths.get(lengths.size() - 1)).isZero();
            assertThat(lengths.subList(0, lengths.size() - 1)).allMatch(n -> n > 0 && n <= 16);
            assertThat(lengths.subList(0, lengths.size() - 2)).allMatch(n -> n == 16);
        }
    }

    @Test
    void aFoundReplyBecomesInfectedWithTheSignatureName() throws Exception {
        try (ServerSocket server = server()) {
            fakeClamd(server, "stream: Win.Test.EICAR_HDB-1 FOUND\0");

            assertThat(client(server, SHORT, 1024).scan(out -> out.write('x')))
                    .isEqualTo(new ScanResult.Infected("Win.Test.EICAR_HDB-1"));
        }
    }

    @Test
    void anErrorReplyIsAnExceptionQuotingClamd() throws Exception {
        try (ServerSocket server = server()) {
            fakeClamd(server, "INSTREAM size limit exceeded. ERROR\0");

            assertThatThrownBy(() -> client(server, SHORT, 1024).scan(out -> out.write('x')))
                    .isInstanceOf(IOException.class).hasMessageContaining("INSTREAM size limit exceeded. ERROR");
        }
    }

    @Test
    void anUnexpectedReplyIsAnException() throws Exception {
        try (ServerSocket server = server()) {
            fakeClamd(server, "UNKNOWN COMMAND\0");

            assertThatThrownBy(() -> client(server, SHORT, 1024).scan(out -> out.write('x')))
                    .isInstanceOf(IOException.class).hasMessageContaining("UNKNOWN COMMAND");
        }
    }

    @Test
    void pingSendsTheNullTerminatedCommandAndExpectsPong() throws Exception {
        try (ServerSocket server = server()) {
            CompletableFuture<Recorded> recorded = fakeClamd(server, "PONG\0");

            assertThat(client(server, SHORT, 1024).ping()).isTrue();
            assertThat(recorded.get(5, TimeUnit.SECONDS).command()).isEqualTo("zPING");
        }
    }

    @Test
    void aServerThatNeverAnswersFailsWithinAboutTheTimeout() throws Exception {
        try (ServerSocket server = server()) {
            // accepts (the backlog does it for us) and never reads nor answers
            ClamdScanner scanner = TestContext.scanner(Map.of("port", (long) server.getLocalPort(),
                    "timeout", "1s"));
            long start = System.nanoTime();

            assertThatThrownBy(() -> scanner.scan(TestMessage.plain("hello\r\n")))
                    .isInstanceOf(SocketTimeoutException.class);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
        }
    }

    @Test
    void aServerThatDripsItsReplyStillFailsAtTheDeadline() throws Exception {
        try (ServerSocket server = server()) {
            CompletableFuture.runAsync(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    while (in.read() != 0) {
                        // the command
                    }
                    for (int i = 0; i < 40; i++) {
                        socket.getOutputStream().write('P');
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up
                }
            });
            long start = System.nanoTime();

            assertThatThrownBy(() -> client(server, Duration.ofSeconds(1), 1024).ping())
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
        }
    }

    @Test
    void nothingListeningFailsRightAway() throws Exception {
        int port = Clamd.freePort();
        long start = System.nanoTime();

        assertThatThrownBy(() -> new ClamdClient("127.0.0.1", port, SHORT, 1024).ping())
                .isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
