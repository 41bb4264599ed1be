package io.runnel.kernel.report;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: classifying one real SMTP reply (the 561 of {@code testdata/smtp-replies}, in turn) with the built-in
 * KumoMTA-format rules, as every 4xx/5xx outcome is. Run by hand ({@code bench/jmh}): not part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BounceClassifierBenchmark {

    private BounceClassifier classifier;
    private String[] replies;
    private int next;

    @Setup
    public void setUp() throws Exception {
        classifier = BounceRulesLoader.builtIn();
        Path dir = TestData.dir("smtp-replies");
        List<Map<String, String>> rows = TestData.rows(dir.resolve("replies.tsv"));
        replies = rows.stream().map(row -> row.get("reply")).toArray(String[]::new);
    }

    @Benchmark
    public String classify() {
        String reply = replies[next];
        next = next + 1 == replies.length ? 0 : next + 1;
        return classifier.classify(reply);
    }
}
