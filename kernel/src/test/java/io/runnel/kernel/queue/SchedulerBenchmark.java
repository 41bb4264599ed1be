package io.runnel.kernel.queue;

import io.runnel.kernel.spool.SpoolId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one scheduled queue holding {@code queued} messages with due times spread over a day.
 * {@code insertAndRemove} schedules a new message and removes it again (a message arriving, then delivered or
 * bounced by id); {@code reschedule} moves a queued message to a new due time (a retry); {@code popDue} takes the
 * soonest message as due and schedules it again (the scheduler's tick); {@code nextDue} peeks. The queue's size
 * stays constant. Run by hand ({@code bench/jmh}): not part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SchedulerBenchmark {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final long DAY_MILLIS = 86_400_000L;
    private static final SummaryFacts FACTS = new SummaryFacts(1, 4096, 0, NOW);

    @Param({"10000", "100000"})
    public int queued;

    private ScheduledQueue queue;
    private SpoolId[] ids;
    private SpoolId.Factory factory;
    private SplittableRandom random;
    private int next;

    @Setup
    public void setUp() {
        queue = new ScheduledQueue(QueueName.parse("bench@d1.bench.test"));
        factory = new SpoolId.Factory(Clock.fixed(NOW, ZoneOffset.UTC), new SplittableRandom(3));
        random = new SplittableRandom(5);
        ids = new SpoolId[queued];
        for (int i = 0; i < queued; i++) {
            ids[i] = factory.next();
            queue.schedule(ids[i], due(), FACTS);
        }
    }

    @Benchmark
    public boolean insertAndRemove() {
        SpoolId id = factory.next();
        queue.schedule(id, due(), FACTS);
        return queue.remove(id);
    }

    @Benchmark
    public void reschedule() {
        queue.schedule(ids[next], due(), FACTS);
        next = next + 1 == ids.length ? 0 : next + 1;
    }

    @Benchmark
    public void popDue() {
        List<ScheduledQueue.Entry> due = queue.pollDue(Instant.MAX, 1);
        queue.schedule(due.get(0).id(), due(), FACTS);
    }

    @Benchmark
    public Object nextDue() {
        return queue.nextDue();
    }

    private Instant due() {
        return NOW.plusMillis(random.nextLong(DAY_MILLIS));
    }
}
