package io.runnel.plugin.spamassassin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.scan.ScanResult;
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

/** The scanner without spamd: size limit, deadline and the exact request bytes, against a socket the test controls. */
class SpamdScannerTest {

    @Test
    void aMessageLargerThanMaxSizeIsUnscannableAndNotSent() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TestMessage message = TestMessage.normal();
            long size = message.size();
            SpamdScanner scanner = new SpamdScanner(TestContext.of(Map.of("port", (long) server.getLocalPort(),
                    "timeout", "2s", "max_size", size - 1)));

            assertThat(scanner.scan(message)).isEqualTo(new ScanResult.Unscannable("too large"));
            server.setSoTimeout(200);
            assertThatThrownBy(server::accept).as("nothing connected").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aMessageOfExactlyMaxSizeIsSent() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TestMessage message = TestMessage.normal();
            SpamdScanner scanner = new SpamdScanner(TestContext.of(Map.of("port", (long) server.getLocalPort(),
                    "timeout", "5s", "max_size", message.size())));
            CompletableFuture<byte[]> request = answer(server, "SPAMD/1.1 0 EX_OK\r\nSpam: False ; 1.0 / 5.0\r\n\r\n");

            assertThat(scanner.scan(message)).isEqualTo(new ScanResult.Spam(1.0, List.of()));
            assertThat(request.get(5, TimeUnit.SECONDS)).isNotEmpty();
        }
    }

    @Test
    void theRequestIsSymbolsWithContentLengthUserAndTheByteExactMessage() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<HeaderField> headers = new ArrayList<>(TestMessage.normal().headers());
            // folding and odd spacing kept byte for byte
            headers.add(new HeaderField("X-Odd", "X-Odd:  a\r\n\tb \r\n".getBytes(StandardCharsets.US_ASCII)));
            TestMessage message = new TestMessage(headers, "body\r\n".getBytes(StandardCharsets.US_ASCII));
            SpamdScanner scanner = new SpamdScanner(TestContext.of(Map.of("port", (long) server.getLocalPort(),
                    "timeout", "5s", "user", "alice")));
            CompletableFuture<byte[]> request = answer(server,
                    "SPAMD/1.1 0 EX_OK\r\nContent-length: 9\r\nSpam: True ; 7.5 / 5.0\r\n\r\nA_RULE,B_");

            ScanResult result = scanner.scan(message);

            StringBuilder expectedMessage = new StringBuilder();
            headers.forEach(h -> expectedMessage.append(new String(h.raw(), StandardCharsets.US_ASCII)));
            expectedMessage.append("\r\nbody\r\n");
            assertThat(new String(request.get(5, TimeUnit.SECONDS), StandardCharsets.US_ASCII)).isEqualTo(
                    "SYMBOLS SPAMC/1.5\r\nContent-length: " + expectedMessage.length() + "\r\nUser: alice\r\n\r\n"
                            + expectedMessage);
            assertThat(result).isEqualTo(new ScanResult.Spam(7.5, List.of("A_RULE", "B_")));
        }
    }

    @Test
    void aServerThatNeverAnswersMakesTheScanThrowAfterAboutTheTimeout() throws Exception {
        // listening, so the connect succeeds; never accepted or read, so no answer comes
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SpamdScanner scanner = new SpamdScanner(TestContext.of(Map.of("port", (long) server.getLocalPort(),
                    "timeout", "1s")));

            long start = System.nanoTime();
            assertThatThrownBy(() -> scanner.scan(TestMessage.gtube()))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("did not answer within 1000 ms");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(3000));
        }
    }

    @Test
    void aServerThatStopsReadingAMessageLargerThanTheSocketBuffersStillMeetsTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            byte[] body = new byte[8_000_000];
            java.util.Arrays.fill(body, (byte) 'a');
            TestMessage message = new TestMessage(TestMessage.normal().headers(), body);
            SpamdScanner scanner = new SpamdScanner(TestContext.of(Map.of("port", (long) server.getLocalPort(),
                    "timeout", "1s", "max_size", 10_000_000L)));

            long start = System.nanoTime();
            assertThatThrownBy(() -> scanner.scan(message)).isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
        }
    }

    @Test
    void aNonZeroSpamdResponseCodeThrowsNamingIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SpamdScanner scanner = new SpamdScanner(TestContext.of(Map.of("port", (long) server.getLocalPort(),
                    "timeout", "5s")));
            answer(server, "SPAMD/1.0 76 Bad header line: (Content-Length mismatch)\r\n");

            assertThatThrownBy(() -> scanner.scan(TestMessage.normal()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("spamd error 76 Bad header line");
        }
    }

    @Test
    void anUnknownConfigKeyStopsTheStart() {
        assertThatThrownBy(() -> new SpamdScanner(TestContext.of(Map.of("hots", "127.0.0.1"))))
                .isInstanceOf(PluginConfigException.class)
                .hasMessage("plugins.spamassassin.hots: unknown key");
    }

    /** Reads the request to its end (the client shuts its output down), answers, closes: spamd's way. */
    private static CompletableFuture<byte[]> answer(ServerSocket server, String response) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                byte[] request = in.readAllBytes();
                socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                return request;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
