package io.runnel.kernel.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RulesConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.message.ReceptionFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleEngineTest {

    @TempDir
    Path home;

    private RuleEngine engine;
    private RulesConfig config;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/runnel.toml"), "[rules]\ntimeout = \"300ms\"\nthreads = 2\n");
        RunnelConfig runnel = new ConfigLoader(home).load(home.resolve("conf/runnel.toml"));
        config = runnel.rules();
        Files.createDirectories(config.folder());
        engine = new RuleEngine(runnel);
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.stop(Duration.ofSeconds(1));
    }

    private RuleSet load(String file, String source) throws Exception {
        Files.writeString(config.folder().resolve(file), source);
        return engine.load(config, RuleSet.none(config));
    }

    private static ReceptionInput input(String... headers) {
        List<HeaderField> fields = new java.util.ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            fields.add(HeaderField.of(headers[i], headers[i + 1]));
        }
        ReceptionFacts facts = new ReceptionFacts("in", "10.1.2.3", "client.example", "ESMTPA", Optional.of("acme-user"),
                Optional.empty());
        return new ReceptionInput(facts, "alice@acme.example", List.of("bob@example.net"), fields, Optional.empty(),
                Optional.empty());
    }

    @Test
    void aReceptionRuleClassifiesRewritesAndChoosesTheSigningKey() throws Exception {
        RuleSet rules = load("global.groovy", """
                reception {
                    if (authIdentity == 'acme-user' && clientIp.startsWith('10.')) {
                        tenant 'acme'
                    }
                    campaign header('X-Campaign') ?: 'none'
                    pool 'acme-pool'
                    setHeader 'Subject', '[acme] ' + header('Subject')
                    removeHeader 'X-Secret'
                    addHeader 'X-Classified', listener
                    sign 'acme.example', 's1'
                }
                """);
        ReceptionDecision d = engine.reception(rules, input("Subject", "hello", "X-Secret", "x", "X-Campaign", "spring")).join();
        assertThat(d.tenant()).contains("acme");
        assertThat(d.campaign()).contains("spring");
        assertThat(d.pool()).contains("acme-pool");
        assertThat(d.headersChanged()).isTrue();
        assertThat(d.headers()).extracting(HeaderField::toString)
                .containsExactly("Subject: [acme] hello", "X-Campaign: spring", "X-Classified: in");
        assertThat(d.signingDomains()).containsExactly("acme.example");
        assertThat(d.selector()).contains("s1");
        assertThat(d.refusal()).isEmpty();
    }

    @Test
    void theTenantScriptRunsAfterTheGlobalOneNamedTheTenant() throws Exception {
        Files.writeString(config.folder().resolve("acme.groovy"), """
                reception {
                    if (header('X-Bad') != null) {
                        reject 554, '5.7.1', 'acme does not send that'
                    }
                }
                """);
        RuleSet rules = load("global.groovy", "reception { tenant header('X-Tenant') ?: 'other' }\n");
        ReceptionDecision d = engine.reception(rules, input("X-Tenant", "acme", "X-Bad", "1")).join();
        assertThat(d.refusal()).contains(SmtpReply.of(554, "5.7.1", "acme does not send that"));
        assertThat(engine.reception(rules, input("X-Tenant", "beta", "X-Bad", "1")).join().refusal()).isEmpty();
    }

    @Test
    void aTypoIsRefusedAtLoadNamingFileAndLine() throws Exception {
        assertThatThrownBy(() -> load("acme.groovy", "reception {\n    tenant 'acme'\n    tenat 'acme'\n}\n"))
                .isInstanceOfSatisfying(RuleException.class, e -> {
                    assertThat(e.file()).isEqualTo("acme.groovy");
                    assertThat(e.line()).contains(3);
                    assertThat(e.reason()).contains("tenat");
                });
    }

    @Test
    void systemExitAndImportsAreRefusedAtLoad() throws Exception {
        assertThatThrownBy(() -> load("acme.groovy", "reception {\n    System.exit(1)\n}\n"))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.line()).as(e.getMessage()).contains(2));
        assertThatThrownBy(() -> load("acme.groovy", "import java.io.File\nreception { tenant 'a' }\n"))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.line()).as(e.getMessage()).contains(1));
        assertThatThrownBy(() -> load("acme.groovy", "reception {\n  'ls'.execute()\n}\n"))
                .isInstanceOf(RuleException.class);
        assertThatThrownBy(() -> load("acme.groovy", "reception {\n  new File('/etc/passwd')\n}\n"))
                .isInstanceOf(RuleException.class);
    }

    @Test
    void aRuleThatThrowsFailsTheCallWithFileAndLine() throws Exception {
        RuleSet rules = load("global.groovy", "reception {\n    tenant 'a'\n    int n = header('X-N').length()\n}\n");
        assertThatThrownBy(() -> engine.reception(rules, input()).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(RuleException.class, e -> {
                    assertThat(e.file()).isEqualTo("global.groovy");
                    assertThat(e.line()).contains(3);
                    assertThat(e.reason()).contains("NullPointerException");
                });
    }

    @Test
    void aRuleThatLoopsForeverIsInterruptedAtTheDeadline() throws Exception {
        RuleSet rules = load("global.groovy", "reception {\n    while (true) {\n        tenant 'a'\n    }\n}\n");
        long start = System.nanoTime();
        assertThatThrownBy(() -> engine.reception(rules, input()).join())
                .cause().isInstanceOfSatisfying(RuleException.class, e -> {
                    assertThat(e.file()).isEqualTo("global.groovy");
                    assertThat(e.reason()).contains("ran longer than 300ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        // the thread was freed: a good rule set still runs on the pool
        RuleSet good = load("global.groovy", "reception { tenant 'b' }\n");
        for (int i = 0; i < 4; i++) {
            assertThat(engine.reception(good, input()).join().tenant()).contains("b");
        }
    }

    @Test
    void outcomeRulesTurnADeferralIntoABounceAndEgressRulesSetLimits() throws Exception {
        RuleSet rules = load("global.groovy", """
                outcome {
                    if (code == 452 && text.contains('over quota')) { bounce() }
                    if (code == 421) { requeue 'backup' }
                }
                egress {
                    if (domain == 'gmail.com') { connectionLimit 3; maxDeliveriesPerConnection 20; maxMessageRate '100/min' }
                }
                """);
        OutcomeDecision d = engine.outcome(rules, new OutcomeInput(SmtpReply.of(452, "4.2.2", "over quota"), "b@x.example",
                "x.example", Optional.empty(), "default", 1)).join();
        assertThat(d.reply()).contains(SmtpReply.of(550, "5.2.2", "over quota"));
        assertThat(engine.outcome(rules, new OutcomeInput(SmtpReply.of(421, "4.7.0", "later"), "b@x.example",
                "x.example", Optional.empty(), "default", 1)).join().requeue()).contains("backup");
        io.runnel.kernel.config.DeliveryConfig.Limits base = new ConfigLoader(home).defaults(home.resolve("x.toml")).delivery().limits();
        assertThat(engine.egress(rules, "gmail.com", "mx.google.com", "default", "default", base).join())
                .isEqualTo(new io.runnel.kernel.config.EgressLimits(3, 20, base.maxReady(),
                        java.util.Optional.of(io.runnel.kernel.shaping.ThrottleSpec.parse("100/min")), base.maxConnectionRate()));
        assertThat(engine.egress(rules, "yahoo.com", "mx.yahoo.com", "default", "default", base).join())
                .isEqualTo(io.runnel.kernel.config.EgressLimits.of(base));
    }
}
