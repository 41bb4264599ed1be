package io.runnel.kernel.rules;

import io.runnel.api.mail.HeaderField;
import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.message.ReceptionFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the cost of a typical tenant's reception rules per message (global script picks the tenant, the tenant's
 * script reads headers, classifies, edits three header fields and picks the DKIM key). {@code inline} is the rules
 * alone on the calling thread; {@code viaPool} adds the hop to the rule threads and back with the deadline timer,
 * which is what reception pays. Run by hand (see README, "Tenant rules"): not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RuleBenchmark {

    static final String GLOBAL = """
            reception {
                if (authIdentity != null && authIdentity.startsWith('acme-')) {
                    tenant 'acme'
                }
                removeHeader 'X-Internal'
            }
            """;
    static final String ACME = """
            reception {
                String priority = header('X-Priority')
                if (priority == 'bulk') {
                    campaign 'newsletter'
                    pool 'acme-bulk'
                } else {
                    pool 'acme-tx'
                }
                if (!tls && !clientIp.startsWith('10.')) {
                    reject 530, '5.7.0', 'Use STARTTLS'
                }
                setHeader 'List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'
                addHeader 'X-Acme-Stream', priority ?: 'tx'
                sign 'mail.acme.example', 's2026'
            }
            """;

    private Path home;
    private RuleEngine engine;
    private RuleSet rules;
    private ReceptionInput input;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        home = Files.createTempDirectory("rule-bench");
        Files.createDirectories(home.resolve("rules"));
        Files.writeString(home.resolve("rules/global.groovy"), GLOBAL);
        Files.writeString(home.resolve("rules/acme.groovy"), ACME);
        RunnelConfig config = new ConfigLoader(home).defaults(home.resolve("conf/runnel.toml"));
        engine = new RuleEngine(config);
        engine.start();
        rules = engine.load(config.rules(), RuleSet.none(config.rules()));
        ReceptionFacts facts = new ReceptionFacts("main", "10.1.2.3", "client.example", "ESMTPSA",
                Optional.of("acme-injector"), Optional.of(new ReceptionFacts.TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256")));
        List<HeaderField> headers = List.of(HeaderField.of("From", "News <news@mail.acme.example>"),
                HeaderField.of("To", "bob@example.net"), HeaderField.of("Subject", "Our spring offers"),
                HeaderField.of("Date", "Sat, 28 Nov 2026 18:00:00 +0000"), HeaderField.of("Message-ID", "<1@mail.acme.example>"),
                HeaderField.of("X-Priority", "bulk"), HeaderField.of("X-Internal", "42"),
                HeaderField.of("MIME-Version", "1.0"), HeaderField.of("Content-Type", "text/plain; charset=utf-8"));
        input = new ReceptionInput(facts, "news@mail.acme.example", List.of("bob@example.net"), headers, Optional.empty(),
                Optional.empty());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        engine.stop(Duration.ofSeconds(1));
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public ReceptionDecision inline() {
        return RuleEngine.reception(new RuleRunner.Call(), rules, input);
    }

    @Benchmark
    public ReceptionDecision viaPool() {
        return engine.reception(rules, input).join();
    }
}
