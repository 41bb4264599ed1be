package io.runnel.kernel.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.spool.SpoolId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Ordering, moving and removing entries of one scheduled queue. */
class ScheduledQueueTest {

    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final SummaryFacts FACTS = new SummaryFacts(1, 4096, 0, T0);
    private final SpoolId.Factory ids = new SpoolId.Factory(Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(1));
    private final ScheduledQueue queue = new ScheduledQueue(QueueName.parse("d.example"));

    @Test
    void dueEntriesComeOutSoonestFirstAndTiesByIdOrder() {
        SpoolId a = ids.next();
        SpoolId b = ids.next();
        SpoolId c = ids.next();
        queue.schedule(c, T0.plusSeconds(5), FACTS);
        queue.schedule(b, T0.plusSeconds(1), FACTS);
        queue.schedule(a, T0.plusSeconds(1), FACTS);

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
        queue.schedule(a, T0.plusSeconds(1), FACTS);
        queue.schedule(b, T0.plusSeconds(2), FACTS);

        queue.schedule(a, T0.plusSeconds(3), FACTS);

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.entries()).extracting(ScheduledQueue.Entry::id).containsExactly(b, a);
        assertThat(queue.pollDue(T0.plusSeconds(2), 10)).extracting(ScheduledQueue.Entry::id).containsExactly(b);
    }

    @Test
    void removedEntriesNeverComeDue() {
        SpoolId a = ids.next();
        SpoolId b = ids.next();
        queue.schedule(a, T0, FACTS);
        queue.schedule(b, T0, FACTS);

        assertThat(queue.remove(a)).isTrue();
        assertThat(queue.remove(a)).isFalse();

        assertThat(queue.contains(a)).isFalse();
        assertThat(queue.pollDue(T0, 10)).extracting(ScheduledQueue.Entry::id).containsExactly(b);
    }

    @Test
    void theLimitHoldsEntriesBackForTheNextPoll() {
        for (int i = 0; i < 5; i++) {
            queue.schedule(ids.next(), T0, FACTS);
        }
        assertThat(queue.pollDue(T0, 2)).hasSize(2);
        assertThat(queue.pollDue(T0, 10)).hasSize(3);
    }

    @Test
    void aQueueIsHeldWhileASuspensionMatchesItAndNoAdminBounceDoes() {
        AdminRule suspend = rule(AdminRule.Kind.SUSPEND, "d.example");
        ActiveRules holding = new ActiveRules(List.of(suspend), Instant.MAX);
        ActiveRules bouncing = new ActiveRules(List.of(suspend, rule(AdminRule.Kind.BOUNCE, ".example")), Instant.MAX);
        ActiveRules none = new ActiveRules(List.of(), Instant.MAX);

        assertThat(queue.held(holding)).isTrue();
        assertThat(queue.held(holding)).isTrue();
        assertThat(queue.held(bouncing)).isFalse(); // an admin bounce outranks a suspension
        assertThat(queue.held(none)).isFalse();
        assertThat(new ScheduledQueue(QueueName.parse("other.test")).held(holding)).isFalse();
    }

    private static AdminRule rule(AdminRule.Kind kind, String domain) {
        return new AdminRule(kind + domain, kind, new QueueSelector("", "", domain, "", ""), "test", T0,
                Optional.of(T0.plusSeconds(60)), false);
    }

    @Test
    void manyMovesAndRemovalsKeepTheSameOrderAsASortedSet() {
        // the reference: what the queue was before it became a heap with a table by id
        record Ref(Instant due, SpoolId id, SummaryFacts facts) {
        }
        TreeSet<Ref> expected = new TreeSet<>((x, y) -> {
            int c = x.due().compareTo(y.due());
            return c != 0 ? c : x.id().compareTo(y.id());
        });
        Map<SpoolId, Ref> byId = new HashMap<>();
        List<SpoolId> known = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        Instant now = T0;
        for (int step = 0; step < 60_000; step++) {
            int op = random.nextInt(10);
            // grows to thousands, then drains (shrinking arrays), then grows again
            boolean growing = step % 20_000 < 12_000;
            if (op < (growing ? 6 : 2)) {
                SpoolId id = random.nextInt(4) == 0 && !known.isEmpty() ? known.get(random.nextInt(known.size())) : ids.next();
                Instant due = now.plusMillis(random.nextInt(5_000)).plusNanos(random.nextInt(3)); // ties happen
                SummaryFacts facts = new SummaryFacts(1 + random.nextInt(3), random.nextInt(100_000), random.nextInt(3),
                        T0.minusMillis(random.nextInt(1_000_000)));
                queue.schedule(id, due, facts);
                Ref old = byId.put(id, new Ref(due, id, facts));
                if (old != null) {
                    expected.remove(old);
                }
                expected.add(byId.get(id));
                known.add(id);
            } else if (op < 8 && !known.isEmpty()) {
                SpoolId id = known.get(random.nextInt(known.size()));
                Ref old = byId.remove(id);
                assertThat(queue.remove(id)).isEqualTo(old != null);
                if (old != null) {
                    expected.remove(old);
                }
            } else {
                now = now.plusMillis(random.nextInt(400));
                int limit = 1 + random.nextInt(50);
                List<SpoolId> want = new ArrayList<>();
                while (want.size() < limit && !expected.isEmpty() && !expected.first().due().isAfter(now)) {
                    Ref r = expected.pollFirst();
                    byId.remove(r.id());
                    want.add(r.id());
                }
                assertThat(queue.pollDue(now, limit)).extracting(ScheduledQueue.Entry::id).containsExactlyElementsOf(want);
            }
            assertThat(queue.size()).isEqualTo(expected.size());
            if (step % 1_000 == 0) {
                assertThat(queue.entries()).extracting(ScheduledQueue.Entry::id)
                        .containsExactlyElementsOf(expected.stream().map(Ref::id).toList());
                assertThat(queue.totals()).isEqualTo(totals(expected.stream().map(Ref::facts).toList()));
                assertThat(queue.entries()).extracting(ScheduledQueue.Entry::due)
                        .containsExactlyElementsOf(expected.stream().map(Ref::due).toList());
                assertThat(queue.nextDue()).isEqualTo(expected.isEmpty() ? Optional.empty()
                        : Optional.of(expected.first().due()));
                known.removeIf(id -> !byId.containsKey(id) && random.nextBoolean());
            }
            if (!known.isEmpty()) {
                SpoolId probe = known.get(random.nextInt(known.size()));
                assertThat(queue.contains(probe)).isEqualTo(byId.containsKey(probe));
            }
        }
    }

    @Test
    void totalsCountWhatEachEntryKeptAndAMoveReplacesIt() {
        SpoolId a = ids.next();
        SpoolId b = ids.next();
        queue.schedule(a, T0, new SummaryFacts(2, 1000, 0, T0.minusSeconds(60)));
        queue.schedule(b, T0, new SummaryFacts(1, 500, 0, T0.minusSeconds(10)));
        queue.schedule(a, T0.plusSeconds(300), new SummaryFacts(1, 1000, 1, T0.minusSeconds(60))); // deferred, one left

        assertThat(queue.totals()).isEqualTo(new QueueTotals(queue.name(), 2, 2, 1500, 1, Optional.of(T0.minusSeconds(60))));
        queue.remove(a);
        queue.remove(b);
        assertThat(queue.totals()).isEqualTo(new QueueTotals(queue.name(), 0, 0, 0, 0, Optional.empty()));
    }

    private QueueTotals totals(List<SummaryFacts> facts) {
        return new QueueTotals(queue.name(), facts.size(), facts.stream().mapToLong(SummaryFacts::recipients).sum(),
                facts.stream().mapToLong(SummaryFacts::bytes).sum(), facts.stream().filter(f -> f.attempts() > 0).count(),
                facts.stream().map(SummaryFacts::receivedAt).min(Instant::compareTo));
    }
}
