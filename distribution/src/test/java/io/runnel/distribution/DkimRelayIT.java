package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP in, DKIM-signed at reception by the shipped plugin, spooled, relayed to a sink: the message that arrives
 * carries an RSA and an Ed25519 signature that an independent verifier (dkimpy) accepts.
 */
class DkimRelayIT {

    @TempDir
    Path home;

    @Test
    void aRelayedMessageArrivesWithSignaturesAnIndependentVerifierAccepts() throws Exception {
        String python = Dkimpy.python();
        KeyPair rsa = Dkimpy.keys("RSA", 2048);
        KeyPair ed = Dkimpy.keys("Ed25519", 0);
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve("keys/rsa.pem"), Dkimpy.pem(rsa.getPrivate().getEncoded()));
        Files.writeString(home.resolve("keys/ed.pem"), Dkimpy.pem(ed.getPrivate().getEncoded()));
        Files.createDirectories(home.resolve("plugins"));
        Files.copy(RunnelProcess.dist().resolve("plugins/runnel-plugin-dkim.jar"), home.resolve("plugins/runnel-plugin-dkim.jar"));

        try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withPort(0).keepingMessages(true))) {
            int port = RunnelProcess.freePort();
            RunnelProcess.writeConfig(home, sink.port(), port, """
                    [plugins]
                    required = ["dkim"]

                    [[plugins.dkim.key]]
                    domain = "example.com"
                    selector = "rsa2026"
                    private_key = "keys/rsa.pem"

                    [[plugins.dkim.key]]
                    domain = "example.com"
                    selector = "ed2026"
                    private_key = "keys/ed.pem"
                    """);
            try (RunnelProcess runnel = RunnelProcess.start(home, port, home.resolve("runnel.log"))) {
                sendAndExpectQueued(port, "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: signed  \r\n"
                        + " and folded\r\nDate: Sat, 28 Nov 2026 18:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\n"
                        + "caf\u00e9 au lait   \r\n\r\n.leading dot\r\n\r\n");
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
                assertThat(runnel.stop()).isZero();
            }
            ReceivedMessage arrived = sink.received().get(0);
            String text = new String(arrived.content(), StandardCharsets.UTF_8);
            assertThat(text).contains("DKIM-Signature: v=1; a=rsa-sha256").contains("a=ed25519-sha256").contains("s=rsa2026");

            String zone = "rsa2026._domainkey.example.com " + Dkimpy.rsaRecord(rsa) + "\n"
                    + "ed2026._domainkey.example.com " + Dkimpy.ed25519Record(ed) + "\n";
            assertThat(Dkimpy.verify(python, home, arrived.content(), zone)).isEqualTo("2 pass pass");
        }
    }

    private static void sendAndExpectQueued(int port, String message) throws IOException {
        try (Smtp smtp = Smtp.connect(port)) {
            assertThat(smtp.transaction("bob@example.net", message)).startsWith("250");
        }
    }
}
