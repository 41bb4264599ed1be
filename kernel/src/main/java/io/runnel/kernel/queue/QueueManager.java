package io.runnel.kernel.queue;

import io.runnel.kernel.boot.Service;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled queues (Postfix qmgr). Every pending message sits in one queue per recipient domain, named
 * {@code campaign:tenant@domain}, until it is due; a scheduler thread then hands due messages to the
 * {@link DueMessageHandler}.
 */
public final class QueueManager implements Service {

    private static final Logger log = LoggerFactory.getLogger(QueueManager.class);
    private static final Duration TICK = Duration.ofMillis(50);
    /** Most messages handed on per queue and tick, so one huge queue cannot starve the others. */
    private static final int BATCH_PER_QUEUE = 256;

    private final Clock clock;
    private final Suspensions suspensions;
    private final Map<QueueName, ScheduledQueue> queues = new HashMap<>();
    /**
     * The queues that hold anything, the one whose first message is due soonest on top: a tick takes only queues with
     * something due, however many there are (with 100,000 queues, looking at each every tick cost a sixth of a core
     * while nothing was due).
     */
    private final IndexedHeap<ScheduledQueue> due = new IndexedHeap<>();
    /** Queues with due mail that admin rules held, out of {@link #due} until the rules change. */
    private final Set<ScheduledQueue> parked = new HashSet<>();
    private ActiveRules parkedUnder;
    private DueMessageHandler handler;
    private ScheduledExecutorService scheduler;

    @Inject
    public QueueManager(Clock clock, Suspensions suspensions) {
        this.clock = clock;
        this.suspensions = suspensions;
    }

    /** One message waiting in one scheduled queue. */
    public record Queued(QueueName queue, SpoolId id, Instant due) {
    }

    /** Wires the delivery side; called once before {@link #start()}. */
    public void deliverTo(DueMessageHandler handler) {
        this.handler = handler;
    }

    /** The queues a message belongs in: one per domain that still has a pending recipient. */
    public static Set<QueueName> queuesOf(MessageMeta meta) {
        Set<QueueName> names = new LinkedHashSet<>();
        for (Recipient r : meta.recipients()) {
            if (r.state() == RecipientState.PENDING) {
                names.add(new QueueName(meta.campaign(), meta.tenant(), r.address().domain()));
            }
        }
        return names;
    }

    /** Schedules every pending domain of {@code meta} at its due time. */
    public void enqueue(MessageMeta meta) {
        Map<QueueName, SummaryFacts> facts = new LinkedHashMap<>();
        queuesOf(meta).forEach(name -> facts.put(name, SummaryFacts.of(meta, name.domain())));
        run(() -> facts.forEach((name, f) -> schedule(queue(name), meta.id(), meta.dueAt(), f)));
    }

    /** Puts one message (as {@code meta} has it now) back in one queue, due at {@code due}. */
    public void schedule(QueueName name, MessageMeta meta, Instant due) {
        SummaryFacts facts = SummaryFacts.of(meta, name.domain());
        run(() -> schedule(queue(name), meta.id(), due, facts));
    }

    /** A snapshot of queue sizes, for logs and the control plane. */
    public Map<QueueName, Integer> sizes() {
        return call(() -> {
            Map<QueueName, Integer> sizes = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            queues.forEach((name, queue) -> sizes.put(name, queue.size()));
            return sizes;
        });
    }

    /** The messages waiting in the queues {@code selector} matches (tenant, campaign, domain), soonest first per queue. */
    public List<Queued> snapshot(QueueSelector selector) {
        return call(() -> {
            List<Queued> out = new ArrayList<>();
            for (ScheduledQueue queue : queues.values()) {
                if (selector.matchesQueue(queue.name())) {
                    queue.entries().forEach(e -> out.add(new Queued(queue.name(), e.id(), e.due())));
                }
            }
            return out;
        });
    }

    /**
     * The {@code limit} smallest ids (oldest first) after {@code after}, with at least {@code minAttempts} attempts, in
     * the queues {@code include} takes, each once: one pass over the entries, no copy of them, so a page of a million
     * queued stays cheap.
     */
    public SortedSet<SpoolId> smallestIds(Predicate<QueueName> include, int minAttempts, Optional<SpoolId> after, int limit) {
        return call(() -> {
            TreeSet<SpoolId> smallest = new TreeSet<>();
            for (ScheduledQueue queue : queues.values()) {
                if (include.test(queue.name())) {
                    queue.smallestIdsAfter(after.orElse(null), minAttempts, limit, smallest);
                }
            }
            return smallest;
        });
    }

    /** Whether {@code id} waits in the scheduled queue {@code name}. */
    public boolean contains(QueueName name, SpoolId id) {
        return call(() -> {
            ScheduledQueue queue = queues.get(name);
            return queue != null && queue.contains(id);
        });
    }

    /**
     * Counts per scheduled queue that {@code selector} matches, from what each queue entry keeps: no spool read, no
     * allocation per message, so it stays quick with a million queued.
     */
    public List<QueueTotals> totals(QueueSelector selector) {
        return call(() -> {
            List<QueueTotals> out = new ArrayList<>();
            for (ScheduledQueue queue : queues.values()) {
                if (selector.matchesQueue(queue.name()) && queue.size() > 0) {
                    out.add(queue.totals());
                }
            }
            return out;
        });
    }

    /** Makes every message in the matching queues due now (suspended queues still hold theirs); returns how many. */
    public int makeDue(QueueSelector selector) {
        Instant now = clock.instant();
        return call(() -> {
            int count = 0;
            for (ScheduledQueue queue : queues.values()) {
                if (selector.matchesQueue(queue.name())) {
                    for (ScheduledQueue.Entry e : queue.entries()) {
                        if (e.due().isAfter(now)) {
                            schedule(queue, e.id(), now, e.facts());
                        }
                        count++;
                    }
                }
            }
            return count;
        });
    }

    /**
     * Makes one message due now if it still waits in {@code name} for {@code due} exactly (the wait it was given, not
     * a later one such as a retry); returns whether it did.
     */
    public boolean pullForward(QueueName name, SpoolId id, Instant due) {
        Instant now = clock.instant();
        return call(() -> {
            ScheduledQueue queue = queues.get(name);
            if (queue == null || !queue.pullForward(id, due, now)) {
                return false;
            }
            settle(queue);
            return true;
        });
    }

    /** Takes the matching queues' messages out; the caller owns them from here (it must reschedule or end them). */
    public List<Queued> take(QueueSelector selector) {
        return call(() -> {
            List<Queued> out = new ArrayList<>();
            for (ScheduledQueue queue : queues.values()) {
                if (selector.matchesQueue(queue.name())) {
                    for (ScheduledQueue.Entry e : queue.entries()) {
                        out.add(new Queued(queue.name(), e.id(), e.due()));
                    }
                }
            }
            out.forEach(q -> remove(queues.get(q.queue()), q.id()));
            return out;
        });
    }

    /**
     * Takes {@code id} out of every queue in {@code names}, only if it waits in all of them (a message already on
     * its way to one domain is left alone). Returns whether it was taken.
     */
    public boolean takeFromAll(Set<QueueName> names, SpoolId id) {
        return call(() -> {
            for (QueueName name : names) {
                ScheduledQueue queue = queues.get(name);
                if (queue == null || !queue.contains(id)) {
                    return false;
                }
            }
            names.forEach(name -> remove(queues.get(name), id));
            return true;
        });
    }

    /** Whether a suspension holds this queue's messages. */
    public boolean held(QueueName name) {
        return suspensions.holding(name).isPresent();
    }

    /** Messages in scheduled queues per tenant (empty: mail without one); cheaper than {@link #sizes()}, for metrics. */
    public Map<Optional<String>, Integer> sizesByTenant() {
        return call(() -> {
            Map<Optional<String>, Integer> sizes = new HashMap<>();
            queues.forEach((name, queue) -> sizes.merge(name.tenant(), queue.size(), Integer::sum));
            return sizes;
        });
    }

    /** Hands everything due now to the handler. Runs on the scheduler thread (tests call it directly). */
    synchronized void tick() {
        Instant now = clock.instant();
        ActiveRules rules = suspensions.activeRules(now);
        if (rules != parkedUnder) {
            List<ScheduledQueue> held = List.copyOf(parked);
            parked.clear();
            held.forEach(this::settle); // rules changed or expired: held queues are decided again
            parkedUnder = rules;
        }
        List<ScheduledQueue> dueNow = new ArrayList<>();
        for (ScheduledQueue first = due.first(); first != null && first.hasDue(now); first = due.first()) {
            due.remove(first);
            dueNow.add(first);
        }
        for (ScheduledQueue queue : dueNow) {
            if (queue.held(rules)) { // an admin bounce outranks a suspension: held mail it matches must still go
                parked.add(queue);
                if (due.contains(queue)) { // put back meanwhile by a hand-off that scheduled into it
                    due.remove(queue);
                }
                continue;
            }
            for (ScheduledQueue.Entry entry : queue.pollDue(now, BATCH_PER_QUEUE)) {
                try {
                    handler.due(queue.name(), entry.id());
                } catch (RuntimeException e) {
                    log.atError().addKeyValue("queue", queue.name()).addKeyValue("spool_id", entry.id()).setCause(e)
                            .log("delivery hand-off failed; retrying in a minute");
                    queue.schedule(entry.id(), now.plus(Duration.ofMinutes(1)), entry.facts());
                }
            }
            settle(queue);
        }
    }

    private void schedule(ScheduledQueue queue, SpoolId id, Instant at, SummaryFacts facts) {
        queue.schedule(id, at, facts);
        settle(queue);
    }

    private void remove(ScheduledQueue queue, SpoolId id) {
        queue.remove(id);
        settle(queue);
    }

    /** After a queue changed: back in due order, or dropped once empty (queues come and go by the hundred thousand). */
    private void settle(ScheduledQueue queue) {
        boolean listed = due.contains(queue);
        if (queue.size() == 0) {
            if (listed) {
                due.remove(queue);
            }
            parked.remove(queue);
            queues.remove(queue.name(), queue);
        } else if (listed) {
            due.resift(queue);
        } else if (!parked.contains(queue)) { // a held queue's new first message waits for the rules like the rest
            due.add(queue);
        }
    }

    private ScheduledQueue queue(QueueName name) {
        ScheduledQueue queue = queues.get(name);
        if (queue == null) {
            QueueName kept = name.interned();
            queue = new ScheduledQueue(kept);
            queues.put(kept, queue);
        }
        return queue;
    }

    /** Queue state is guarded by this object's monitor: reception, recovery, delivery and the tick all meet here. */
    private synchronized void run(Runnable action) {
        action.run();
    }

    private synchronized <T> T call(Supplier<T> action) {
        return action.get();
    }

    @Override
    public int phase() {
        return Phases.QUEUES;
    }

    @Override
    public String name() {
        return "queues";
    }

    @Override
    public void start() {
        if (handler == null) {
            throw new IllegalStateException("no delivery handler wired");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queue-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("queue tick failed");
        }
    }

    @Override
    public void stop(Duration grace) {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
