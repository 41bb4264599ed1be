package io.runnel.kernel.shaping;

import java.time.Duration;
import java.time.Instant;
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
 * JMH: one GCRA throttle check as a ready queue makes it per message. {@code allowed} runs under a rate it never
 * reaches (every call takes a cell); {@code throttled} runs far above {@code 100/s} (almost every call is told to
 * wait). The clock advances 1 µs per call. Run by hand ({@code bench/jmh}): not part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GcraBenchmark {

    private Gcra open;
    private Gcra tight;
    private Instant now;

    @Setup
    public void setUp() {
        open = new Gcra(ThrottleSpec.parse("10000000/s"));
        tight = new Gcra(ThrottleSpec.parse("100/s,max_burst=10"));
        now = Instant.parse("2026-11-28T12:00:00Z");
    }

    @Benchmark
    public Duration allowed() {
        now = now.plusNanos(1_000);
        return open.tryAcquire(now);
    }

    @Benchmark
    public Duration throttled() {
        now = now.plusNanos(1_000);
        return tight.tryAcquire(now);
    }
}
