package io.runnel.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled daemon with tenant rules and the shipped DKIM plugin: two tenants leave through their own pools
 * signed with their own keys (checked by dkimpy), a header rejects, a header is rewritten; {@code runnel reload}
 * refuses a broken rule file naming file and line while the old rules keep working, then applies the fix.
 */
class RulesIT {

    private static final String ACME = """
            reception {
                pool 'acme-pool'
                sign 'acme.example', 'acme1'
                setHeader 'Subject', '[acme] ' + (header('Subject') ?: '')
                if (header('X-Block') != null) {
                    reject 550, '5.7.1', 'Blocked by acme policy'
                }
            }
            """;
    private static final String BETA = """
            reception {
                pool 'beta-pool'
                sign 'beta.example'
            }
            """;

    @TempDir
    Path home;

    @Test
    void tenantsGetTheirPoolsAndKeysAndABrokenReloadKeepsTheOldRules() throws Exception {
        String python = Dkimpy.python();
        KeyPair acmeKey = Dkimpy.keys("RSA", 2048);
        KeyPair sharedKey = Dkimpy.keys("RSA", 2048);
        KeyPair betaKey = Dkimpy.keys("Ed25519", 0);
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve("keys/acme.pem"), Dkimpy.pem(acmeKey.getPrivate().getEncoded()));
        Files.writeString(home.resolve("keys/shared.pem"), Dkimpy.pem(sharedKey.getPrivate().getEncoded()));
        Files.writeString(home.resolve("keys/beta.pem"), Dkimpy.pem(betaKey.getPrivate().getEncoded()));
        Files.createDirectories(home.resolve("plugins"));
        Files.copy(RunnelProcess.dist().resolve("plugins/runnel-plugin-dkim.jar"), home.resolve("plugins/runnel-plugin-dkim.jar"));
        Path rules = Files.createDirectories(home.resolve("rules"));
        Files.writeString(rules.resolve("acme.groovy"), ACME);
        Files.writeString(rules.resolve("beta.groovy"), BETA);
        // the shipped example must compile under the rule compiler
        Files.copy(RunnelProcess.dist().resolve("rules/tenant.groovy.example"), rules.resolve("example.groovy"));

        try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withPort(0).keepingMessages(true))) {
            int port = RunnelProcess.freePort();
            RunnelProcess.writeConfig(home, sink.port(), port, """
                    [[egress.source]]
                    name = "default"
                    [[egress.source]]
                    name = "acme-ip"
                    [[egress.source]]
                    name = "beta-ip"
                    [[egress.pool]]
                    name = "default"
                    [[egress.pool.entry]]
                    name = "default"
                    [[egress.pool]]
                    name = "acme-pool"
                    [[egress.pool.entry]]
                    name = "acme-ip"
                    [[egress.pool]]
                    name = "beta-pool"
                    [[egress.pool.entry]]
                    name = "beta-ip"

                    [plugins]
                    required = ["dkim"]

                    [[plugins.dkim.key]]
                    domain = "acme.example"
                    selector = "shared"
                    private_key = "keys/shared.pem"

                    [[plugins.dkim.key]]
                    domain = "acme.example"
                    selector = "acme1"
                    private_key = "keys/acme.pem"

                    [[plugins.dkim.key]]
                    domain = "beta.example"
                    selector = "beta1"
                    tenant = "beta"
                    private_key = "keys/beta.pem"
                    """);
            try (RunnelProcess runnel = RunnelProcess.start(home, port, home.resolve("runnel.log"))) {
                try (Smtp smtp = Smtp.connect(port)) {
                    assertThat(smtp.transaction("a@dest.example", message("acme", "From: a@acme.example\r\nSubject: hello\r\n")))
                            .startsWith("250");
                    assertThat(smtp.transaction("b@dest.example", message("beta", "From: b@customer.example\r\n")))
                            .startsWith("250");
                    assertThat(smtp.transaction("x@dest.example", message("acme", "From: a@acme.example\r\nX-Block: 1\r\n")))
                            .isEqualTo("550 5.7.1 Blocked by acme policy");
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 2);

                String toA = text(sink, "a@dest.example");
                assertThat(toA).contains("d=acme.example;").contains("s=acme1;").doesNotContain("s=shared;")
                        .contains("\r\nSubject: [acme] hello\r\n");
                String toB = text(sink, "b@dest.example");
                assertThat(toB).contains("d=beta.example;").contains("s=beta1;").contains("a=ed25519-sha256");
                String zone = "acme1._domainkey.acme.example " + Dkimpy.rsaRecord(acmeKey) + "\n"
                        + "beta1._domainkey.beta.example " + Dkimpy.ed25519Record(betaKey) + "\n";
                assertThat(Dkimpy.verify(python, home, bytes(sink, "a@dest.example"), zone)).isEqualTo("1 pass");
                assertThat(Dkimpy.verify(python, home, bytes(sink, "b@dest.example"), zone)).isEqualTo("1 pass");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(pools()).contains("a@dest.example acme-pool", "b@dest.example beta-pool");
                });

                // a broken rule file: refused by `runnel reload` with file and line, the old rules stay
                Files.writeString(rules.resolve("acme.groovy"), ACME.replace("pool 'acme-pool'", "pool 'acme-pool'\n    sing 'x'"));
                Path out = home.resolve("reload.out");
                assertThat(RunnelProcess.runToCompletion(home, out, "reload")).isEqualTo(1);
                assertThat(Files.readString(out)).contains("refused").contains("error: rules/acme.groovy:3: ")
                        .contains("sing");
                try (Smtp smtp = Smtp.connect(port)) {
                    assertThat(smtp.transaction("c@dest.example", message("acme", "From: a@acme.example\r\nSubject: still\r\n")))
                            .startsWith("250");
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 3);
                assertThat(text(sink, "c@dest.example")).contains("s=acme1;").contains("Subject: [acme] still");

                Files.writeString(rules.resolve("acme.groovy"), ACME.replace("'[acme] '", "'[acme v2] '"));
                Path fixed = home.resolve("reload-fixed.out");
                assertThat(RunnelProcess.runToCompletion(home, fixed, "reload")).as(Files.readString(fixed)).isZero();
                // the file watcher may have applied it first; then the explicit reload finds nothing changed
                assertThat(Files.readString(fixed)).startsWith("applied");
                try (Smtp smtp = Smtp.connect(port)) {
                    assertThat(smtp.transaction("d@dest.example", message("acme", "From: a@acme.example\r\nSubject: new\r\n")))
                            .startsWith("250");
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 4);
                assertThat(text(sink, "d@dest.example")).contains("Subject: [acme v2] new");
                assertThat(runnel.log()).contains("reload refused").contains("configuration reloaded");
                assertThat(runnel.stop()).isZero();
            }
        }
    }

    private static String message(String tenant, String headers) {
        return "X-Tenant: " + tenant + "\r\n" + headers + "To: someone@dest.example\r\n\r\nhello\r\n";
    }

    private static byte[] bytes(SmtpSink sink, String recipient) {
        return sink.received().stream().filter(m -> m.recipients().contains(recipient)).findFirst()
                .map(ReceivedMessage::content).orElseThrow();
    }

    private static String text(SmtpSink sink, String recipient) {
        return new String(bytes(sink, recipient), StandardCharsets.UTF_8);
    }

    /** "recipient pool" of every Delivery record. */
    private List<String> pools() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> found = new ArrayList<>();
        for (String line : JournalLines.complete(home.resolve("log"))) {
            JsonNode record = json.readTree(line);
            if (record.path("type").asText().equals("Delivery")) {
                found.add(record.path("recipient").asText() + " " + record.path("egress_pool").asText());
            }
        }
        return found;
    }
}
