package io.runnel.plugin.dkim;

import io.runnel.api.sign.SigningRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Signatures per second on a 4 KiB message, one thread, after a 1 s warm-up (a rough number, not JMH). Run after
 * {@code mvn -o -pl plugins/dkim -am test-compile}, from the repository root:
 * {@code java -cp plugins/dkim/target/classes:plugins/dkim/target/test-classes:plugin-api/target/classes:<pf4j jar>
 * io.runnel.plugin.dkim.SignBenchmark}. On the development machine: RSA-1024 ~4400/s, RSA-2048 ~900/s,
 * Ed25519 ~1500/s (the JDK 17 Ed25519 is pure Java).
 */
public final class SignBenchmark {

    private SignBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder body = new StringBuilder();
        while (body.length() < 4096 - 80) {
            body.append("The quick brown fox jumps over the lazy dog, again and again;  trailing  \r\n");
        }
        ByteMessage message = ByteMessage.parse(headerBlock() + body);
        Path home = Files.createTempDirectory("dkim-bench");
        for (var entry : Map.of("rsa-1024", TestKeys.rsa(1024), "rsa-2048", TestKeys.rsa(2048),
                "ed25519", TestKeys.ed25519()).entrySet()) {
            DkimSigner signer = new SignerFixture(home).key("example.com", entry.getKey(), entry.getValue(), Map.of())
                    .signer();
            SigningRequest request = SignerFixture.request(message);
            run(signer, request, 1_000_000_000L); // warm-up
            long start = System.nanoTime();
            int n = run(signer, request, 3_000_000_000L);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-9s %8.0f signatures/s (%d in %.1f s, 4 KiB, relaxed/relaxed)%n",
                    entry.getKey(), n / seconds, n, seconds);
        }
    }

    private static String headerBlock() {
        return "From: Joe <joe@example.com>\r\nTo: suzie@example.net\r\nSubject: benchmark\r\n"
                + "Date: Fri, 11 Jul 2003 21:00:37 -0700\r\nMessage-ID: <bench@example.com>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    }

    private static int run(DkimSigner signer, SigningRequest request, long nanos) throws Exception {
        long end = System.nanoTime() + nanos;
        int n = 0;
        while (System.nanoTime() < end) {
            if (signer.sign(request).size() != 1) {
                throw new IllegalStateException("expected one signature");
            }
            n++;
        }
        return n;
    }
}
