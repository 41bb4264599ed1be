package io.runnel.kernel.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.spool.SpoolId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueManagerTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final SpoolId.Factory ids = new SpoolId.Factory(clock, RandomGenerator.of("L64X128MixRandom"));
    private final List<String> handed = new ArrayList<>();
    /** No rule is ever made here, so nothing is written to the (absent) folder. */
    private final QueueManager queues = new QueueManager(clock,
            new Suspensions(clock, Path.of("target", "no-admin-rules"), RandomGenerator.of("L64X128MixRandom")));

    QueueManagerTest() {
        queues.deliverTo((queue, id) -> handed.add(queue + " " + id));
    }

    private MessageMeta message(Instant due, Optional<String> tenant, Optional<String> campaign, Recipient... recipients) {
        return new MessageMeta(ids.next(), clock.instant(), EmailAddress.parse("s@sender.example"), List.of(recipients),
                new MailParameters(MailParameters.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty()),
                new ReceptionFacts("default", "127.0.0.1", "client", "ESMTP", Optional.empty(), Optional.empty()),
                tenant, campaign, 0, due, 100, Optional.empty());
    }

    private static Recipient to(String address, RecipientState state) {
        return new Recipient(EmailAddress.parse(address), Set.of(), Optional.empty(), state);
    }

    @Test
    void smallestIdsPageThroughEveryMatchingQueueOldestFirstEachIdOnce() {
        List<SpoolId> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMillis(1));
            MessageMeta meta = message(clock.instant().plus(Duration.ofMinutes(30 - i)), Optional.empty(), Optional.empty(),
                    to("a@d" + (i % 3) + ".example", RecipientState.PENDING), to("b@both.example", RecipientState.PENDING));
            queues.enqueue(meta);
            expected.add(meta.id());
        }
        MessageMeta tried = message(clock.instant(), Optional.empty(), Optional.empty(), to("c@d1.example", RecipientState.PENDING));
        tried = new MessageMeta(tried.id(), tried.receivedAt(), tried.sender(), tried.recipients(), tried.parameters(),
                tried.reception(), tried.tenant(), tried.campaign(), 2, tried.dueAt(), tried.bodySize(), Optional.empty());
        queues.enqueue(tried);
        expected.add(tried.id());
        expected.sort(null);

        List<SpoolId> paged = new ArrayList<>();
        Optional<SpoolId> after = Optional.empty();
        for (SortedSet<SpoolId> page = queues.smallestIds(q -> true, 0, after, 7); !page.isEmpty();
             page = queues.smallestIds(q -> true, 0, after, 7)) {
            assertThat(page).hasSizeLessThanOrEqualTo(7);
            paged.addAll(page);
            after = Optional.of(page.last());
        }

        assertThat(paged).containsExactlyElementsOf(expected);
        assertThat(queues.smallestIds(q -> q.domain().equals("d1.example"), 0, Optional.empty(), 100)).hasSize(11);
        assertThat(queues.smallestIds(q -> true, 1, Optional.empty(), 100)).containsExactly(tried.id());
    }

    @Test
    void aMessageWaitsInOneQueuePerPendingDomain() {
        MessageMeta meta = message(clock.instant(), Optional.of("acme"), Optional.of("spring"),
                to("a@one.example", RecipientState.PENDING), to("b@one.example", RecipientState.PENDING),
                to("c@two.example", RecipientState.PENDING), to("d@done.example", RecipientState.DELIVERED));
        assertThat(QueueManager.queuesOf(meta)).extracting(QueueName::toString)
                .containsExactly("spring:acme@one.example", "spring:acme@two.example");
        queues.enqueue(meta);
        queues.tick();
        assertThat(handed).containsExactlyInAnyOrder("spring:acme@one.example " + meta.id(), "spring:acme@two.example " + meta.id());
    }

    @Test
    void nothingIsHandedOnBeforeItIsDue() {
        MessageMeta later = message(clock.instant().plus(Duration.ofMinutes(10)), Optional.empty(), Optional.empty(),
                to("a@one.example", RecipientState.PENDING));
        queues.enqueue(later);
        queues.tick();
        assertThat(handed).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        queues.tick();
        assertThat(handed).containsExactly("one.example " + later.id());
    }

    @Test
    void dueMessagesComeOutSoonestFirstAndOnlyOnce() {
        MessageMeta second = message(clock.instant().minusSeconds(1), Optional.empty(), Optional.empty(), to("a@one.example", RecipientState.PENDING));
        MessageMeta first = message(clock.instant().minusSeconds(5), Optional.empty(), Optional.empty(), to("b@one.example", RecipientState.PENDING));
        queues.enqueue(second);
        queues.enqueue(first);
        queues.tick();
        queues.tick();
        assertThat(handed).containsExactly("one.example " + first.id(), "one.example " + second.id());
    }

    @Test
    void aSuspensionHoldsItsQueuesMessagesUntilItEndsOrExpires(@TempDir Path dataDir) {
        Suspensions suspensions = new Suspensions(clock, dataDir, RandomGenerator.of("L64X128MixRandom"));
        QueueManager held = new QueueManager(clock, suspensions);
        held.deliverTo((queue, id) -> handed.add(queue + " " + id));
        MessageMeta first = message(clock.instant(), Optional.empty(), Optional.empty(), to("a@one.example", RecipientState.PENDING));
        MessageMeta other = message(clock.instant(), Optional.empty(), Optional.empty(), to("b@two.example", RecipientState.PENDING));
        held.enqueue(first);
        held.enqueue(other);
        AdminRule rule = suspensions.suspend(new QueueSelector("", "", "one.example", "", ""), "provider asked us to slow down",
                Optional.empty());
        held.tick();
        assertThat(handed).containsExactly("two.example " + other.id());
        assertThat(held.sizes()).containsEntry(QueueName.parse("one.example"), 1);

        suspensions.end(AdminRule.Kind.SUSPEND, rule.id());
        held.tick();
        assertThat(handed).containsExactly("two.example " + other.id(), "one.example " + first.id());

        MessageMeta later = message(clock.instant(), Optional.empty(), Optional.empty(), to("c@one.example", RecipientState.PENDING));
        held.enqueue(later);
        suspensions.suspend(new QueueSelector("", "", "one.example", "", ""), "for a minute", Optional.of(Duration.ofMinutes(1)));
        held.tick();
        assertThat(handed).hasSize(2);
        clock.advance(Duration.ofMinutes(1)); // the suspension expires: no change to the rules, only time
        held.tick();
        assertThat(handed).endsWith("one.example " + later.id());
    }

    @Test
    void reschedulingMovesTheDueTime() {
        MessageMeta meta = message(clock.instant(), Optional.empty(), Optional.empty(), to("a@one.example", RecipientState.PENDING));
        queues.enqueue(meta);
        queues.schedule(QueueName.parse("one.example"), meta, clock.instant().plus(Duration.ofMinutes(5)));
        queues.tick();
        assertThat(handed).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        queues.tick();
        assertThat(handed).hasSize(1);
    }

    @Test
    void totalsPerQueueComeFromWhatWasQueuedAndFollowARetry() {
        MessageMeta both = message(clock.instant().plusSeconds(60), Optional.of("acme"), Optional.empty(),
                to("a@one.example", RecipientState.PENDING), to("b@one.example", RecipientState.PENDING),
                to("c@two.example", RecipientState.PENDING), to("d@one.example", RecipientState.DELIVERED));
        clock.advance(Duration.ofSeconds(30));
        MessageMeta later = message(clock.instant().plusSeconds(60), Optional.of("acme"), Optional.empty(),
                to("e@one.example", RecipientState.PENDING));
        queues.enqueue(both);
        queues.enqueue(later);
        // a failed attempt: the message goes back with one attempt counted
        MessageMeta tried = new MessageMeta(later.id(), later.receivedAt(), later.sender(), later.recipients(),
                later.parameters(), later.reception(), later.tenant(), later.campaign(), 1, later.dueAt(), later.bodySize(),
                Optional.of(clock.instant()));
        queues.schedule(QueueName.parse("acme@one.example"), tried, clock.instant().plusSeconds(600));

        assertThat(queues.totals(new QueueSelector("acme", "", "one.example", "", ""))).containsExactly(new QueueTotals(
                QueueName.parse("acme@one.example"), 2, 3, 200, 1, Optional.of(both.receivedAt())));
        assertThat(queues.totals(new QueueSelector("acme", "", "two.example", "", ""))).containsExactly(new QueueTotals(
                QueueName.parse("acme@two.example"), 1, 1, 100, 0, Optional.of(both.receivedAt())));
    }

    @Test
    void aTickHandsOnExactlyWhatIsDueAcrossManyQueuesAsMessagesComeAndGo() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        Instant start = clock.instant();
        java.util.Map<SpoolId, Instant> waiting = new java.util.HashMap<>();
        java.util.Map<SpoolId, MessageMeta> metas = new java.util.HashMap<>();
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (int step = 0; step < 400; step++) {
            for (int i = random.nextInt(15); i > 0; i--) {
                Instant due = clock.instant().plusMillis(random.nextInt(60_000) - 5_000);
                MessageMeta meta = message(due, Optional.of("t" + random.nextInt(5)), Optional.empty(),
                        to("x@d" + random.nextInt(300) + ".example", RecipientState.PENDING));
                queues.enqueue(meta);
                waiting.put(meta.id(), due);
                metas.put(meta.id(), meta);
            }
            if (!waiting.isEmpty() && random.nextInt(3) == 0) { // taken by the control plane, or retried later
                SpoolId id = List.copyOf(waiting.keySet()).get(random.nextInt(waiting.size()));
                MessageMeta meta = metas.get(id);
                if (random.nextBoolean()) {
                    assertThat(queues.takeFromAll(QueueManager.queuesOf(meta), id)).isTrue();
                    waiting.remove(id);
                } else {
                    Instant later = clock.instant().plusMillis(random.nextInt(30_000));
                    queues.schedule(QueueManager.queuesOf(meta).iterator().next(), meta, later);
                    waiting.put(id, later);
                }
            }
            clock.advance(Duration.ofMillis(random.nextInt(1_000)));
            Instant now = clock.instant();
            waiting.entrySet().removeIf(e -> {
                if (!e.getValue().isAfter(now)) {
                    MessageMeta meta = metas.get(e.getKey());
                    expected.add(QueueManager.queuesOf(meta).iterator().next() + " " + e.getKey());
                    return true;
                }
                return false;
            });
            queues.tick();
            assertThat(handed).as("after %s", Duration.between(start, now)).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(queues.sizes().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(waiting.size());
    }
}
