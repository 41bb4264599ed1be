package io.runnel.kernel.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.spool.SpoolId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Ordering, moving and removing entries of one scheduled queue. */
class ScheduledQueueTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private final SpoolId.Factory ids = new SpoolId.Factory(Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(1));
    private final ScheduledQueue queue = new ScheduledQueue(QueueName.parse("d.example"));

    @Test
    void dueEntriesComeOutSoonestFirstAndTiesByIdOrder() {
        SpoolId a = ids.next();
        SpoolId b = ids.next();
        SpoolId c = ids.next();
        queue.schedule(c, T0.plusSeconds(5));
        queue.schedule(b, T0.plusSeconds(1));
        queue.schedule(a, T0.plusSeconds(1));

        assertThat(queue.nextDue()).contains(T0.plusSeconds(1));
        assertThat(queue.pollDue(T0.plusSeconds(2), 10)).extracting(ScheduledQueue.Entry::id).containsExactly(a, b);
        assertThat(queue.pollDue(T0.plusSeconds(10), 10)).extracting(ScheduledQueue.Entry::id).containsExactly(c);
        assertThat(queue.size()).isZero();
        assertThat(queue.nextDue()).isEmpty();
    }

    @Test
    void schedulingAQueuedIdMovesItInsteadOfAddingIt() {
        SpoolId a = ids.next();
        SpoolId b = ids.next();
        queue.schedule(a, T0.plusSeconds(1));
        queue.schedule(b, T0.plusSeconds(2));

        queue.schedule(a, T0.plusSeconds(3));

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.entries()).extracting(ScheduledQueue.Entry::id).containsExactly(b, a);
        assertThat(queue.pollDue(T0.plusSeconds(2), 10)).extracting(ScheduledQueue.Entry::id).containsExactly(b);
    }

    @Test
    void removedEntriesNeverComeDue() {
        SpoolId a = ids.next();
        SpoolId b = ids.next();
        queue.schedule(a, T0);
        queue.schedule(b, T0);

        assertThat(queue.remove(a)).isTrue();
        assertThat(queue.remove(a)).isFalse();

        assertThat(queue.contains(a)).isFalse();
        assertThat(queue.pollDue(T0, 10)).extracting(ScheduledQueue.Entry::id).containsExactly(b);
    }

    @Test
    void limitAndSuspensionHoldEntriesBack() {
        for (int i = 0; i < 5; i++) {
            queue.schedule(ids.next(), T0);
        }
        assertThat(queue.pollDue(T0, 2)).hasSize(2);
        queue.suspend("maintenance");
        assertThat(queue.pollDue(T0, 10)).isEmpty();
        assertThat(queue.nextDue()).isEmpty();
        queue.resume();
        assertThat(queue.pollDue(T0, 10)).hasSize(3);
    }
}
