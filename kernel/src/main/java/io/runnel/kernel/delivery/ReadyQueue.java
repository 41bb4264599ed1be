package io.runnel.kernel.delivery;

import io.runnel.kernel.config.EgressSource;
import io.runnel.kernel.dns.DeliveryPlan;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.spool.SpoolId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Messages due for one (egress source, site) pair, waiting for a connection. Bounded: when full, the message goes
 * back to its scheduled queue ({@link #offer} says so), never dropped. Also counts the connections serving it, so
 * a site never gets more than {@code connection_limit} from one source. Thread-safe.
 */
final class ReadyQueue {

    /** One message's delivery to one domain. */
    record Work(QueueName queue, SpoolId id) {
    }

    private final EgressSource source;
    private final String pool;
    private final int maxReady;
    private final int connectionLimit;
    private final Deque<Work> waiting = new ArrayDeque<>();
    /** Open connections with nothing to send, newest last; reused before a new one is opened. */
    private final Deque<DeliveryConnection> idle = new ArrayDeque<>();
    private DeliveryPlan plan;
    private int connections;
    private Optional<String> suspension = Optional.empty();

    ReadyQueue(EgressSource source, String pool, DeliveryPlan plan, int maxReady, int connectionLimit) {
        this.source = source;
        this.pool = pool;
        this.plan = plan;
        this.maxReady = maxReady;
        this.connectionLimit = connectionLimit;
    }

    EgressSource source() {
        return source;
    }

    String pool() {
        return pool;
    }

    synchronized DeliveryPlan plan() {
        return plan;
    }

    /** Adds work; false when the queue is full (the caller re-delays it). Keeps the newest plan for the site. */
    synchronized boolean offer(Work work, DeliveryPlan latest) {
        if (waiting.size() >= maxReady) {
            return false;
        }
        plan = latest;
        waiting.addLast(work);
        return true;
    }

    synchronized Optional<Work> poll() {
        return Optional.ofNullable(waiting.pollFirst());
    }

    /**
     * Reserves a new connection when the work waiting outnumbers the connections already serving it, up to the
     * limit, and the queue is not suspended.
     */
    synchronized boolean reserveConnection() {
        if (suspension.isPresent() || connections >= connectionLimit || connections - idle.size() >= waiting.size()) {
            return false;
        }
        connections++;
        return true;
    }

    /** Parks an open connection that found nothing to send; false when work arrived meanwhile (it goes on). */
    synchronized boolean park(DeliveryConnection connection) {
        if (!waiting.isEmpty() && suspension.isEmpty()) {
            return false;
        }
        idle.addLast(connection);
        return true;
    }

    /** Takes a parked connection back (its idle time ran out); false when it was woken for work first. */
    synchronized boolean unpark(DeliveryConnection connection) {
        return idle.remove(connection);
    }

    /** Parked connections to wake, one per waiting message; the most recently used first. */
    synchronized List<DeliveryConnection> wakeable() {
        List<DeliveryConnection> wake = new ArrayList<>();
        while (!idle.isEmpty() && wake.size() < waiting.size() && suspension.isEmpty()) {
            wake.add(idle.pollLast());
        }
        return wake;
    }

    /** Every parked connection, taken out (the engine is stopping). */
    synchronized List<DeliveryConnection> takeIdle() {
        List<DeliveryConnection> all = new ArrayList<>(idle);
        idle.clear();
        return all;
    }

    synchronized void releaseConnection() {
        connections--;
    }

    /** Everything waiting, taken out (the connection could not be made: it all goes back to scheduled queues). */
    synchronized List<Work> drain() {
        List<Work> all = new ArrayList<>(waiting);
        waiting.clear();
        return all;
    }

    /** A copy of the messages waiting for a connection. */
    synchronized List<Work> waiting() {
        return List.copyOf(waiting);
    }

    /** What is waiting and how many connections serve it, for metrics and the control plane. */
    synchronized ReadyQueueSnapshot snapshot() {
        Map<Optional<String>, Integer> byTenant = new HashMap<>();
        waiting.forEach(work -> byTenant.merge(work.queue().tenant(), 1, Integer::sum));
        return new ReadyQueueSnapshot(source.name(), plan.site(), waiting.size(), connections, byTenant);
    }

    synchronized int size() {
        return waiting.size();
    }

    synchronized int connections() {
        return connections;
    }

    synchronized void suspend(String reason) {
        suspension = Optional.of(reason);
    }

    synchronized void resume() {
        suspension = Optional.empty();
    }

    synchronized boolean suspended() {
        return suspension.isPresent();
    }
}
