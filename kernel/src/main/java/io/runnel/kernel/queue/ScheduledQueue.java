package io.runnel.kernel.queue;

import io.runnel.kernel.spool.SpoolId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One scheduled queue: spool ids and their due times, soonest first. Only ids and times live here; the message
 * itself stays in the spool until it is due and there is room for it in a ready queue. Not thread-safe: the
 * {@link QueueManager} confines each queue to its scheduler thread.
 */
final class ScheduledQueue {

    record Entry(SpoolId id, Instant due) {
    }

    private final QueueName name;
    /** A sorted set, not a heap: removing a given entry (a retry, a bounce by id) is O(log n), not a scan. */
    private final TreeSet<Entry> byDue = new TreeSet<>((a, b) -> {
        int c = a.due().compareTo(b.due());
        return c != 0 ? c : a.id().compareTo(b.id());
    });
    private final Map<SpoolId, Entry> byId = new HashMap<>();
    private Optional<String> suspension = Optional.empty();

    ScheduledQueue(QueueName name) {
        this.name = name;
    }

    QueueName name() {
        return name;
    }

    /** Adds or moves {@code id} to {@code due}. */
    void schedule(SpoolId id, Instant due) {
        Entry old = byId.remove(id);
        if (old != null) {
            byDue.remove(old);
        }
        Entry entry = new Entry(id, due);
        byId.put(id, entry);
        byDue.add(entry);
    }

    boolean remove(SpoolId id) {
        Entry old = byId.remove(id);
        return old != null && byDue.remove(old);
    }

    /** Takes out up to {@code limit} entries due at {@code now}; none while suspended. */
    List<Entry> pollDue(Instant now, int limit) {
        List<Entry> due = new ArrayList<>();
        if (suspension.isPresent()) {
            return due;
        }
        while (due.size() < limit && !byDue.isEmpty() && !byDue.first().due().isAfter(now)) {
            Entry entry = byDue.pollFirst();
            byId.remove(entry.id());
            due.add(entry);
        }
        return due;
    }

    /** Every entry, soonest first. */
    List<Entry> entries() {
        return new ArrayList<>(byDue);
    }

    Optional<Instant> nextDue() {
        return suspension.isPresent() || byDue.isEmpty() ? Optional.empty() : Optional.of(byDue.first().due());
    }

    int size() {
        return byId.size();
    }

    boolean contains(SpoolId id) {
        return byId.containsKey(id);
    }

    void suspend(String reason) {
        suspension = Optional.of(reason);
    }

    void resume() {
        suspension = Optional.empty();
    }

    Optional<String> suspension() {
        return suspension;
    }
}
