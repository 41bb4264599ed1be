package io.runnel.plugin.dkim;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.sign.SigningRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: DKIM signatures per second on one thread (one core) for a 4 KiB and a 100 KiB message, relaxed/relaxed,
 * per algorithm (RSA-1024, RSA-2048, Ed25519): the private-key operation dominates small messages, body hashing
 * large ones.
 * Run by hand (see the plugin's README): not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class SignBenchmark {

    @Param({"rsa-1024", "rsa-2048", "ed25519"})
    public String key;

    @Param({"4096", "102400"})
    public int size;

    private DkimSigner signer;
    private SigningRequest request;

    @Setup
    public void setUp() throws Exception {
        StringBuilder body = new StringBuilder();
        while (body.length() < size - 200) {
            body.append("The quick brown fox jumps over the lazy dog, again and again;  trailing  \r\n");
        }
        ByteMessage message = ByteMessage.parse(headerBlock() + body);
        TestKeys pair = switch (key) {
            case "rsa-1024" -> TestKeys.rsa(1024);
            case "rsa-2048" -> TestKeys.rsa(2048);
            default -> TestKeys.ed25519();
        };
        Path home = Files.createTempDirectory("dkim-bench");
        signer = new SignerFixture(home).key("example.com", key, pair, Map.of()).signer();
        request = SignerFixture.request(message);
    }

    @Benchmark
    public List<HeaderField> sign() throws Exception {
        return signer.sign(request);
    }

    private static String headerBlock() {
        return "From: Joe <joe@example.com>\r\nTo: suzie@example.net\r\nSubject: benchmark\r\n"
                + "Date: Fri, 11 Jul 2003 21:00:37 -0700\r\nMessage-ID: <bench@example.com>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    }
}
