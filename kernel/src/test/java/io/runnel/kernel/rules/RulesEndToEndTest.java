package io.runnel.kernel.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.kernel.Closing;
import io.runnel.kernel.Journal;
import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.ReloadReport;
import io.runnel.sdk.sink.ReceivedMessage;
import io.runnel.sdk.sink.RecipientPolicy;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SinkReply;
import io.runnel.sdk.sink.SmtpSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant rules over real SMTP, a real spool and a real sink: classification into pools, header edits, refusals,
 * failing rules, outcome rules and reloads while the daemon runs.
 */
class RulesEndToEndTest {

    static final String GLOBAL = """
            reception {
                if (header('X-Reject-Me') != null) {
                    reject 550, '5.7.1', 'Refused by policy'
                }
                removeHeader 'X-Internal'
            }
            """;
    static final String ACME = """
            reception {
                pool 'acme-pool'
                setHeader 'Subject', '[acme] ' + (header('Subject') ?: '')
                addHeader 'X-Rules-Version', '1'
                if (header('X-Boom') != null) {
                    throw new IllegalStateException('boom')
                }
                if (header('X-Loop') != null) {
                    while (true) {
                        campaign 'spinning'
                    }
                }
            }
            outcome {
                if (code == 452 && text.contains('over quota')) {
                    bounce()
                }
            }
            """;
    static final String BETA = """
            reception {
                pool 'beta-pool'
                addHeader 'X-Beta', listener
            }
            """;

    @TempDir
    Path home;

    private SmtpSink sink;
    private TestDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        sink = SmtpSink.start(SinkOptions.defaults().withPort(0).keepingMessages(true).withRecipientPolicy(
                RecipientPolicy.scripted(Map.of("full@dest.example", SinkReply.of(452, "4.2.2 Mailbox over quota")))));
        Path rules = Files.createDirectories(home.resolve("rules"));
        Files.writeString(rules.resolve("global.groovy"), GLOBAL);
        Files.writeString(rules.resolve("acme.groovy"), ACME);
        Files.writeString(rules.resolve("beta.groovy"), BETA);
        daemon = TestDaemon.start(home, """
                [server]
                hostname = "runnel.test"

                [[listener]]
                name = "main"
                bind = "127.0.0.1:0"
                tls = "off"

                [[listener]]
                name = "beta-in"
                bind = "127.0.0.1:0"
                tls = "off"

                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [queues]
                retry_interval = "1s"
                max_retry_interval = "2s"

                [[egress.source]]
                name = "acme-ip"
                ehlo_domain = "acme.out.test"

                [[egress.source]]
                name = "beta-ip"
                ehlo_domain = "beta.out.test"

                [[egress.source]]
                name = "default"

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

                [rules]
                timeout = "500ms"
                threads = 2

                [[rules.tenant]]
                name = "beta"
                listeners = ["beta-in"]
                """.formatted(sink.port()));
    }

    @AfterEach
    void stop() throws Exception {
        Closing.all(daemon, sink);
    }

    @Test
    void twoTenantsLeaveThroughTheirPoolsWithTheirHeaderEdits() throws Exception {
        try (SmtpTestClient acme = new SmtpTestClient(daemon.port(0)); SmtpTestClient beta = new SmtpTestClient(daemon.port(1))) {
            assertThat(acme.send("a@dest.example", message("X-Tenant: acme\r\nX-Internal: secret\r\nSubject: hello\r\n")))
                    .startsWith("250");
            assertThat(beta.send("b@dest.example", message("Subject: hi\r\n"))).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 2);
        String toA = contentFor("a@dest.example");
        assertThat(toA).contains("\r\nSubject: [acme] hello\r\n").contains("\r\nX-Rules-Version: 1\r\n")
                .doesNotContain("X-Internal").doesNotContain("Subject: hello");
        String toB = contentFor("b@dest.example");
        assertThat(toB).contains("\r\nX-Beta: beta-in\r\n").contains("Subject: hi").doesNotContain("X-Rules-Version");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(delivery("a@dest.example").path("egress_pool").asText()).isEqualTo("acme-pool");
            assertThat(delivery("a@dest.example").path("egress_source").asText()).isEqualTo("acme-ip");
            assertThat(delivery("b@dest.example").path("egress_pool").asText()).isEqualTo("beta-pool");
            assertThat(delivery("b@dest.example").path("meta").path("tenant").asText()).isEqualTo("beta");
        });
    }

    @Test
    void aRuleRejectsByHeaderAndNothingIsSpooled() throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            assertThat(client.send("a@dest.example", message("X-Reject-Me: yes\r\n"))).isEqualTo("550 5.7.1 Refused by policy");
            assertThat(client.send("a@dest.example", message("Subject: fine\r\n"))).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(records("Rejection")).singleElement()
                .satisfies(r -> assertThat(r.path("response").path("code").asInt()).isEqualTo(550)));
    }

    @Test
    void aRuleThatThrowsOrLoopsDefersTheMessageAndTheServerGoesOn() throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            assertThat(client.send("a@dest.example", message("X-Tenant: acme\r\nX-Boom: 1\r\n")))
                    .startsWith("451 4.3.0");
            assertThat(client.send("a@dest.example", message("X-Tenant: acme\r\nX-Loop: 1\r\n")))
                    .startsWith("451 4.3.0");
            assertThat(client.send("a@dest.example", message("X-Tenant: acme\r\nSubject: after\r\n"))).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
        // removed from the spool once its Delivery record is written, a moment after the sink has it
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.spooledIds().isEmpty());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(records("Rejection"))
                .extracting(r -> r.path("meta").path("rule_error").asText())
                .satisfiesExactly(boom -> assertThat(boom).isEqualTo("acme.groovy:6: IllegalStateException: boom"),
                        loop -> assertThat(loop).matches("acme\\.groovy:(9|10): ran longer than 500ms; interrupted")));
    }

    @Test
    void anOutcomeRuleTurnsAQuotaDeferralIntoABounce() throws Exception {
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            assertThat(client.send("full@dest.example", message("X-Tenant: acme\r\n"))).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(records("Bounce")).anySatisfy(r -> {
            assertThat(r.path("recipient").asText()).isEqualTo("full@dest.example");
            assertThat(r.path("response").path("code").asInt()).isEqualTo(550);
            assertThat(r.path("response").path("enhanced_code").toString()).contains("5").contains("2");
        }));
        assertThat(records("TransientFailure")).isEmpty();
    }

    @Test
    void aBrokenRuleFileIsRefusedWithFileAndLineAndTheOldRulesStay() throws Exception {
        Files.writeString(home.resolve("rules/acme.groovy"), ACME.replace("addHeader 'X-Rules-Version', '1'",
                "addHeader 'X-Rules-Version', '2'\n    adHeader 'X-Typo', 'x'"));
        ReloadReport report = daemon.get(ConfigReloader.class).reload();
        assertThat(report.applied()).isFalse();
        assertThat(report.changed()).containsExactly("rules/acme.groovy");
        assertThat(report.errors()).singleElement().asString().startsWith("rules/acme.groovy:5: ").contains("adHeader");

        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            assertThat(client.send("a@dest.example", message("X-Tenant: acme\r\n"))).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
        assertThat(contentFor("a@dest.example")).contains("X-Rules-Version: 1\r\n");

        Files.writeString(home.resolve("rules/acme.groovy"), ACME.replace("'X-Rules-Version', '1'", "'X-Rules-Version', '2'"));
        ReloadReport fixed = daemon.get(ConfigReloader.class).reload();
        assertThat(fixed.applied()).as(fixed.toString()).isTrue();
        assertThat(fixed.restartNeeded()).isEmpty();
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            assertThat(client.send("c@dest.example", message("X-Tenant: acme\r\n"))).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 2);
        assertThat(contentFor("c@dest.example")).contains("X-Rules-Version: 2\r\n");
    }

    @Test
    void aSavedRuleFileIsPickedUpByTheWatcher() throws Exception {
        Files.writeString(home.resolve("rules/beta.groovy"), BETA.replace("addHeader 'X-Beta', listener",
                "addHeader 'X-Beta', 'watched'"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (SmtpTestClient client = new SmtpTestClient(daemon.port(1))) {
                assertThat(client.send("w@dest.example", message(""))).startsWith("250");
            }
            assertThat(sink.received().stream().map(m -> new String(m.content(), StandardCharsets.UTF_8)))
                    .anySatisfy(text -> assertThat(text).contains("X-Beta: watched"));
        });
    }

    @Test
    void aChangedListenerIsReportedAsNeedingARestart() throws Exception {
        Path conf = home.resolve("conf/runnel.toml");
        Files.writeString(conf, Files.readString(conf).replace("name = \"beta-in\"", "name = \"beta-in2\""));
        ReloadReport report = daemon.get(ConfigReloader.class).reload();
        assertThat(report.applied()).isTrue();
        assertThat(report.changed()).containsExactly("conf/runnel.toml");
        assertThat(report.restartNeeded()).containsExactly("listener");
    }

    private static String message(String headers) {
        return "From: alice@sender.example\r\nTo: someone@dest.example\r\n" + headers + "\r\nbody\r\n";
    }

    private String contentFor(String recipient) {
        ReceivedMessage m = sink.received().stream().filter(r -> r.recipients().contains(recipient)).findFirst().orElseThrow();
        return new String(m.content(), StandardCharsets.UTF_8);
    }

    private JsonNode delivery(String recipient) throws IOException {
        return records("Delivery").stream().filter(r -> r.path("recipient").asText().equals(recipient)).findFirst()
                .orElseThrow(() -> new AssertionError("no Delivery record for " + recipient));
    }

    private List<JsonNode> records(String type) throws IOException {
        return Journal.records(home, type);
    }
}
