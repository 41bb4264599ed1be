package io.runnel.kernel.queue;

import io.runnel.kernel.spool.SpoolId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One scheduled queue: spool ids and their due times, soonest first (ties in id order). Only ids and times live
 * here; the message itself stays in the spool until it is due and there is room for it in a ready queue. Not
 * thread-safe: the {@link QueueManager} confines each queue to its scheduler thread.
 *
 * <p>Built for a million waiting messages: each is one flat {@link Entry} (72 bytes, of which 24 are the
 * {@link SummaryFacts} the queue summary counts) in an {@link IndexedHeap} (due order; the entry knows its slot, so
 * moving or removing a given id is O(log n), never a scan) and, once the queue holds a few, in an open-addressing
 * table by id. A {@code TreeSet} plus a {@code HashMap} cost about 160 bytes per message and 250 per queue.
 */
final class ScheduledQueue implements IndexedHeap.Member<ScheduledQueue> {

    /** A power of two; the table is kept at most half full, so probes stay short. */
    private static final int INITIAL_TABLE = 16;
    /** Below this many entries there is no table: a scan of the heap finds an id as fast, and most queues are small. */
    private static final int INDEXED_FROM = 8;

    /**
     * One waiting message, flattened: the id's two longs, the due time and the summary facts, no {@code SpoolId},
     * {@code Instant} or record.
     */
    static final class Entry implements Comparable<Entry>, IndexedHeap.Member<Entry> {
        private final long high;
        private final long low;
        private final long dueSeconds;
        private final int dueNanos;
        private int slot = -1;
        private final int recipients;
        private final int attempts;
        private final long bytes;
        /** Milliseconds are precise enough for "oldest waiting". */
        private final long receivedMillis;

        Entry(SpoolId id, Instant due, SummaryFacts facts) {
            this.high = id.high();
            this.low = id.low();
            this.dueSeconds = due.getEpochSecond();
            this.dueNanos = due.getNano();
            this.recipients = facts.recipients();
            this.attempts = facts.attempts();
            this.bytes = facts.bytes();
            this.receivedMillis = facts.receivedAt().toEpochMilli();
        }

        SummaryFacts facts() {
            return new SummaryFacts(recipients, bytes, attempts, Instant.ofEpochMilli(receivedMillis));
        }

        SpoolId id() {
            return new SpoolId(high, low);
        }

        Instant due() {
            return Instant.ofEpochSecond(dueSeconds, dueNanos);
        }

        boolean dueBy(Instant now) {
            long seconds = now.getEpochSecond();
            return dueSeconds < seconds || dueSeconds == seconds && dueNanos <= now.getNano();
        }

        /** By due time, then as {@link SpoolId#compareTo} orders ids. */
        @Override
        public int compareTo(Entry other) {
            int c = Long.compare(dueSeconds, other.dueSeconds);
            if (c == 0) {
                c = Integer.compare(dueNanos, other.dueNanos);
            }
            return c != 0 ? c : SpoolId.compare(high, low, other.high, other.low);
        }

        @Override
        public boolean before(Entry other) {
            return compareTo(other) <= 0;
        }

        @Override
        public int slot() {
            return slot;
        }

        @Override
        public void slot(int slot) {
            this.slot = slot;
        }

    }

    private final QueueName name;
    private final IndexedHeap<Entry> heap = new IndexedHeap<>();
    /** Null while the queue is small. */
    private Entry[] byId;
    /** Where it sits among the scheduler's queues ({@link QueueManager}); -1 while not there. */
    private int dueSlot = -1;
    /** The admin rules {@link #held} last decided under, and what it decided. */
    private ActiveRules decidedUnder;
    private boolean held;

    ScheduledQueue(QueueName name) {
        this.name = name;
    }

    QueueName name() {
        return name;
    }

    /** Adds or moves {@code id} to {@code due}. */
    void schedule(SpoolId id, Instant due, SummaryFacts facts) {
        remove(id);
        Entry entry = new Entry(id, due, facts);
        int size = heap.size();
        if (byId == null && size + 1 >= INDEXED_FROM) {
            rehash(INITIAL_TABLE);
        }
        if (byId != null) {
            if ((size + 1) * 2 > byId.length) {
                rehash(byId.length * 2);
            }
            insert(entry);
        }
        heap.add(entry);
    }

    /** Moves {@code id} to {@code now} if it waits here for {@code due} exactly; false otherwise. */
    boolean pullForward(SpoolId id, Instant due, Instant now) {
        Entry entry = lookup(id.high(), id.low());
        if (entry == null || !entry.due().equals(due) || !due.isAfter(now)) {
            return false;
        }
        schedule(id, now, entry.facts());
        return true;
    }

    boolean remove(SpoolId id) {
        Entry entry = lookup(id.high(), id.low());
        if (entry == null) {
            return false;
        }
        if (byId != null) {
            delete(find(entry.high, entry.low));
        }
        heap.remove(entry);
        shrinkIfSparse();
        return true;
    }

    /** Takes out up to {@code limit} entries due at {@code now}. */
    List<Entry> pollDue(Instant now, int limit) {
        List<Entry> due = new ArrayList<>();
        while (due.size() < limit && hasDue(now)) {
            Entry entry = heap.first();
            if (byId != null) {
                delete(find(entry.high, entry.low));
            }
            heap.remove(entry);
            due.add(entry);
        }
        shrinkIfSparse();
        return due;
    }

    /** Whether this queue's first message is due before {@code other}'s (both hold messages). */
    @Override
    public boolean before(ScheduledQueue other) {
        return heap.first().before(other.heap.first());
    }

    @Override
    public int slot() {
        return dueSlot;
    }

    @Override
    public void slot(int slot) {
        dueSlot = slot;
    }

    /** Whether an entry is due at {@code now}: cheap, for the scheduler's tick. */
    boolean hasDue(Instant now) {
        return heap.size() > 0 && heap.first().dueBy(now);
    }

    /**
     * Whether {@code rules} hold this queue's mail. Decided once per set of rules: with a hundred thousand held
     * queues, matching each against the rules every tick kept the scheduler busy and the queues locked.
     */
    boolean held(ActiveRules rules) {
        if (rules != decidedUnder) {
            held = rules.holds(name);
            decidedUnder = rules;
        }
        return held;
    }

    /** Every entry, soonest first. */
    List<Entry> entries() {
        List<Entry> sorted = heap.elements();
        sorted.sort(null);
        return sorted;
    }

    /** Counts over every entry, in one pass and without allocating per entry. */
    QueueTotals totals() {
        long recipients = 0;
        long bytes = 0;
        long deferred = 0;
        long oldest = Long.MAX_VALUE;
        int size = heap.size();
        for (int i = 0; i < size; i++) {
            Entry e = heap.get(i);
            recipients += e.recipients;
            bytes += e.bytes;
            deferred += e.attempts > 0 ? 1 : 0;
            oldest = Math.min(oldest, e.receivedMillis);
        }
        return new QueueTotals(name, size, recipients, bytes, deferred,
                size == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest)));
    }

    /**
     * Adds to {@code smallest} the ids here with at least {@code minAttempts} attempts that order after {@code after}
     * (all when null), keeping only the {@code limit} smallest in it: one pass, and an id is made only when it would
     * enter the set.
     */
    void smallestIdsAfter(SpoolId after, int minAttempts, int limit, TreeSet<SpoolId> smallest) {
        int size = heap.size();
        for (int i = 0; i < size; i++) {
            Entry e = heap.get(i);
            if (e.attempts < minAttempts || after != null && SpoolId.compare(e.high, e.low, after.high(), after.low()) <= 0) {
                continue;
            }
            if (smallest.size() >= limit && SpoolId.compare(e.high, e.low, smallest.last().high(), smallest.last().low()) >= 0) {
                continue;
            }
            smallest.add(new SpoolId(e.high, e.low));
            if (smallest.size() > limit) {
                smallest.pollLast();
            }
        }
    }

    Optional<Instant> nextDue() {
        return heap.size() == 0 ? Optional.empty() : Optional.of(heap.first().due());
    }

    int size() {
        return heap.size();
    }

    boolean contains(SpoolId id) {
        return lookup(id.high(), id.low()) != null;
    }

    /** A queue that held many and now holds few gives its table back (queues come and go by the hundred thousand). */
    private void shrinkIfSparse() {
        int size = heap.size();
        if (byId != null && size < INDEXED_FROM / 2) {
            byId = null;
        } else if (byId != null && byId.length > INITIAL_TABLE && size * 8 < byId.length) {
            rehash(Math.max(INITIAL_TABLE, Integer.highestOneBit(size) * 4));
        }
    }

    // ---- the table by id: open addressing, linear probing

    private static int hash(long high, long low) {
        long h = (low ^ high) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private Entry lookup(long high, long low) {
        if (byId == null) {
            for (int i = 0; i < heap.size(); i++) {
                Entry e = heap.get(i);
                if (e.high == high && e.low == low) {
                    return e;
                }
            }
            return null;
        }
        int at = find(high, low);
        return at < 0 ? null : byId[at];
    }

    /** The table slot holding the id, or -1; only while there is a table. */
    private int find(long high, long low) {
        int mask = byId.length - 1;
        for (int i = hash(high, low) & mask; byId[i] != null; i = (i + 1) & mask) {
            if (byId[i].high == high && byId[i].low == low) {
                return i;
            }
        }
        return -1;
    }

    private void insert(Entry entry) {
        int mask = byId.length - 1;
        int i = hash(entry.high, entry.low) & mask;
        while (byId[i] != null) {
            i = (i + 1) & mask;
        }
        byId[i] = entry;
    }

    /** Empties slot {@code at} and shifts later entries of its probe run back, so every lookup still finds them. */
    private void delete(int at) {
        int mask = byId.length - 1;
        byId[at] = null;
        int hole = at;
        for (int i = (at + 1) & mask; byId[i] != null; i = (i + 1) & mask) {
            int home = hash(byId[i].high, byId[i].low) & mask;
            // the entry may move into the hole unless its home lies cyclically after the hole, up to where it sits
            boolean homeInRange = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!homeInRange) {
                byId[hole] = byId[i];
                byId[i] = null;
                hole = i;
            }
        }
    }

    /** A new table of {@code capacity} slots holding every entry in the heap. */
    private void rehash(int capacity) {
        byId = new Entry[capacity];
        for (int i = 0; i < heap.size(); i++) {
            insert(heap.get(i));
        }
    }
}
