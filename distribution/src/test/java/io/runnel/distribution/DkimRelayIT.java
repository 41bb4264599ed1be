package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP in, DKIM-signed at reception by the shipped plugin, spooled, relayed to a sink: the message that arrives
 * carries an RSA and an Ed25519 signature that an independent verifier (dkimpy) accepts.
 */
class DkimRelayIT {

    private static final String VERIFY = String.join("\n",
            "import sys, dkim",
            "msg = open(sys.argv[1], 'rb').read()",
            "records = dict(line.strip().split(' ', 1) for line in open(sys.argv[2]) if line.strip())",
            "def dns(name, timeout=5):",
            "    name = name.decode() if isinstance(name, bytes) else name",
            "    rec = records.get(name.rstrip('.').lower())",
            "    return rec.encode() if rec else None",
            "d = dkim.DKIM(msg)",
            "n = sum(1 for k, v in d.headers if k.lower() == b'dkim-signature')",
            "results = [d.verify(idx=i, dnsfunc=dns) for i in range(n)]",
            "print(n, ' '.join('pass' if r else 'fail' for r in results))",
            "sys.exit(0 if n > 0 and all(results) else 1)",
            "");

    @TempDir
    Path home;

    @Test
    void aRelayedMessageArrivesWithSignaturesAnIndependentVerifierAccepts() throws Exception {
        String python = python();
        KeyPair rsa = keys("RSA", 2048);
        KeyPair ed = keys("Ed25519", 0);
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve("keys/rsa.pem"), pem(rsa.getPrivate().getEncoded()));
        Files.writeString(home.resolve("keys/ed.pem"), pem(ed.getPrivate().getEncoded()));
        Files.createDirectories(home.resolve("plugins"));
        Files.copy(RunnelProcess.dist().resolve("plugins/runnel-plugin-dkim.jar"), home.resolve("plugins/runnel-plugin-dkim.jar"));

        try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withPort(0).keepingMessages(true))) {
            int port = RunnelProcess.freePort();
            Files.createDirectories(home.resolve("conf"));
            Files.writeString(home.resolve("conf/runnel.toml"), """
                    [dns]
                    name_servers = ["127.0.0.1:9"]

                    [[route]]
                    domain = "*"
                    hosts = ["127.0.0.1:%d"]

                    # the control plane on a free port, so concurrent test daemons never clash
                    [grpc]
                    listen = "127.0.0.1:0"

                    [[listener]]
                    bind = "127.0.0.1:%d"
                    tls = "off"

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
                    """.formatted(sink.port(), port));
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

            Path eml = Files.write(home.resolve("arrived.eml"), arrived.content());
            Path zone = Files.writeString(home.resolve("zone.txt"),
                    "rsa2026._domainkey.example.com v=DKIM1; k=rsa; p=" + b64(rsa.getPublic().getEncoded()) + "\n"
                            + "ed2026._domainkey.example.com v=DKIM1; k=ed25519; p=" + b64(raw(ed.getPublic().getEncoded())) + "\n");
            Path script = Files.writeString(home.resolve("verify.py"), VERIFY);
            Process p = new ProcessBuilder(python, script.toString(), eml.toString(), zone.toString()).redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out.strip()).isEqualTo("2 pass pass");
        }
    }

    private static void sendAndExpectQueued(int port, String message) throws IOException {
        try (Smtp smtp = Smtp.connect(port)) {
            assertThat(smtp.transaction("bob@example.net", message)).startsWith("250");
        }
    }

    /** dkimpy from Debian's python3; skipped locally when missing, a failure on CI. */
    private static String python() throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import dkim").redirectErrorStream(true).start();
        if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
            return "/usr/bin/python3";
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("python3-dkim is required on CI");
        }
        Assumptions.abort("python3-dkim not installed");
        return null;
    }

    private static KeyPair keys(String algorithm, int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (bits > 0) {
            generator.initialize(bits);
        }
        return generator.generateKeyPair();
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** An Ed25519 SubjectPublicKeyInfo ends with the 32 raw key bytes RFC 8463 publishes. */
    private static byte[] raw(byte[] spki) {
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }
}
