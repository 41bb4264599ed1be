package io.runnel.kernel.delivery;

import io.runnel.kernel.config.EgressLimits;
import io.runnel.kernel.config.EgressSource;
import io.runnel.kernel.dns.DeliveryPlan;
import io.runnel.kernel.shaping.EgressPath;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.spool.SpoolId;
import io.runnel.kernel.shaping.Gcra;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Messages due for one (egress source, site) pair, waiting for a connection. Bounded: when full, the message goes
 * back to its scheduled queue ({@link #offer} says so), never dropped. Also counts the connections serving it, so
 * a site never gets more than {@code connection_limit} from one source. Its limits come from {@code [delivery]}
 * and may be overridden per queue ({@link LimitsOverride}). Its throttles ({@code max_message_rate},
 * {@code max_connection_rate}) hold work back without failing it: a throttled message stays here, its attempt count
 * unchanged, and the caller tries again after the wait the throttle names. Thread-safe.
 */
final class ReadyQueue {

    /** The fewest turned-away messages a full queue notes for calling back, whatever its {@code max_ready}. */
    private static final int MIN_TURNED_AWAY = 256;

    /** One message's delivery to one domain. */
    record Work(QueueName queue, SpoolId id) {
    }

    /** Whether a new connection was reserved; when not, and only because of the connection rate, how long to wait. */
    record Reservation(boolean reserved, Optional<Duration> retryAfter) {
        static final Reservation RESERVED = new Reservation(true, Optional.empty());
        static final Reservation NOT_NEEDED = new Reservation(false, Optional.empty());
    }

    /** The next message for a connection; none, with a wait when the message rate holds the waiting ones back. */
    record Take(Optional<Work> work, Optional<Duration> retryAfter) {
        static final Take NOTHING = new Take(Optional.empty(), Optional.empty());
    }

    private final EgressSource source;
    private final String pool;
    /** The domain whose mail set the queue up: shaping blocks are looked up for it. */
    private final String domain;
    private EgressPath path;
    /** The configuration and overrides whose shaping {@link #path} reflects. */
    private PathShaping.Generation shapedFor;
    private final Deque<Work> waiting = new ArrayDeque<>();
    /** Messages the full queue turned away, oldest first, with the time their scheduled queue holds them until. */
    private final Map<Work, Instant> turnedAway = new LinkedHashMap<>();
    /** Open connections with nothing to send, newest last; reused before a new one is opened. */
    private final Deque<DeliveryConnection> idle = new ArrayDeque<>();
    private DeliveryPlan plan;
    private int connections;
    private Optional<String> suspension = Optional.empty();
    private Optional<Gcra> messageRate;
    private Optional<Gcra> connectionRate;
    /** A retry of {@link DeliveryEngine#startConnections} is scheduled for the connection rate: one is enough. */
    private boolean connectionRetryScheduled;
    /** Connections in a row that could not be made. */
    private int connectionFailures;
    /** The shaping strategy's say: at most this many connections, none before {@link #heldUntil}. */
    private int strategyConnections = Integer.MAX_VALUE;
    private Optional<Instant> heldUntil = Optional.empty();
    private final RecentOutcomes recent = new RecentOutcomes();

    ReadyQueue(EgressSource source, String pool, String domain, DeliveryPlan plan, EgressPath path) {
        this.source = source;
        this.pool = pool;
        this.domain = domain;
        this.plan = plan;
        this.path = path;
        this.messageRate = path.limits().maxMessageRate().map(Gcra::new);
        this.connectionRate = path.limits().maxConnectionRate().map(Gcra::new);
    }

    synchronized EgressLimits limits() {
        return path.limits();
    }

    synchronized EgressPath path() {
        return path;
    }

    /** New shaping (after a reload); a lower connection limit lets the surplus finish. */
    synchronized void path(EgressPath path) {
        this.path = path;
        EgressLimits limits = path.limits();
        // an unchanged throttle keeps its state, so a reload does not grant a fresh burst
        messageRate = throttle(messageRate, limits.maxMessageRate());
        connectionRate = throttle(connectionRate, limits.maxConnectionRate());
    }

    private static Optional<Gcra> throttle(Optional<Gcra> current, Optional<ThrottleSpec> spec) {
        return current.filter(gcra -> spec.equals(Optional.of(gcra.spec()))).or(() -> spec.map(Gcra::new));
    }

    /**
     * True once per generation of the configuration and automation overrides: the caller then works out this
     * queue's shaping for it. Keeps the shaping lookup off the path of every message.
     */
    synchronized boolean limitsStale(PathShaping.Generation generation) {
        if (generation.equals(shapedFor)) {
            return false;
        }
        shapedFor = generation;
        return true;
    }

    EgressSource source() {
        return source;
    }

    String pool() {
        return pool;
    }

    String domain() {
        return domain;
    }

    synchronized DeliveryPlan plan() {
        return plan;
    }

    /** Adds work; false when the queue is full (the caller re-delays it). Keeps the newest plan for the site. */
    synchronized boolean offer(Work work, DeliveryPlan latest) {
        if (waiting.size() >= path.limits().maxReady()) {
            return false;
        }
        plan = latest;
        waiting.addLast(work);
        turnedAway.remove(work);
        return true;
    }

    /**
     * Notes a message this queue turned away and that waits in its scheduled queue until {@code until}, to be called
     * back when there is room. Twice {@code max_ready} (at least {@value #MIN_TURNED_AWAY}) are noted, about 90 bytes
     * each: a backlog of a million for one site costs no more; the rest are noted when their wait ends and the queue
     * turns them away again.
     */
    synchronized void turnedAway(Work work, Instant until) {
        if (turnedAway.containsKey(work) || turnedAway.size() < Math.max(MIN_TURNED_AWAY, 2 * path.limits().maxReady())) {
            turnedAway.put(work, until);
        }
    }

    /**
     * Once the queue is down to half full, the turned-away messages that fit, oldest first, taken from the list: they
     * are to be made due now instead of waiting out their time.
     */
    synchronized Map<Work, Instant> callBack() {
        int max = path.limits().maxReady();
        if (turnedAway.isEmpty() || waiting.size() > max / 2) {
            return Map.of();
        }
        Map<Work, Instant> called = new LinkedHashMap<>();
        Iterator<Map.Entry<Work, Instant>> oldest = turnedAway.entrySet().iterator();
        while (oldest.hasNext() && waiting.size() + called.size() < max) {
            Map.Entry<Work, Instant> next = oldest.next();
            called.put(next.getKey(), next.getValue());
            oldest.remove();
        }
        return called;
    }

    /** The first waiting message, if the message rate allows one now. */
    synchronized Take poll(Instant now) {
        if (waiting.isEmpty()) {
            return Take.NOTHING;
        }
        Duration wait = messageRate.map(gcra -> gcra.tryAcquire(now)).orElse(Duration.ZERO);
        if (!wait.isZero()) {
            return new Take(Optional.empty(), Optional.of(wait));
        }
        return new Take(Optional.of(waiting.pollFirst()), Optional.empty());
    }

    /**
     * Reserves a new connection when the work waiting outnumbers the connections already serving it, up to the
     * limit, the queue is not suspended, and both rates allow it now. While the message rate holds the work back,
     * the connections already open take it when it may go (no more are opened to wait); with none open, the caller
     * is told when to try again.
     */
    synchronized Reservation reserveConnection(Instant now) {
        if (suspension.isPresent() || connections >= Math.min(path.limits().connectionLimit(), strategyConnections)
                || connections - idle.size() >= waiting.size()) {
            return Reservation.NOT_NEEDED;
        }
        if (heldUntil.filter(now::isBefore).isPresent()) {
            return new Reservation(false, Optional.of(Duration.between(now, heldUntil.get())));
        }
        Duration held = messageRate.map(gcra -> gcra.waitAt(now)).orElse(Duration.ZERO);
        if (!held.isZero()) {
            return connections > 0 ? Reservation.NOT_NEEDED : new Reservation(false, Optional.of(held));
        }
        Duration wait = connectionRate.map(gcra -> gcra.tryAcquire(now)).orElse(Duration.ZERO);
        if (!wait.isZero()) {
            return new Reservation(false, Optional.of(wait));
        }
        connections++;
        return Reservation.RESERVED;
    }

    /** True when no connection-rate retry is scheduled yet (and now one is: the caller schedules it). */
    synchronized boolean scheduleConnectionRetry() {
        boolean first = !connectionRetryScheduled;
        connectionRetryScheduled = true;
        return first;
    }

    synchronized void connectionRetryDue() {
        connectionRetryScheduled = false;
    }

    /**
     * What a {@code ShapingStrategy} decided: at most {@code connections} at once, and none opened before
     * {@code until} (empty: now). True when the hold changed.
     */
    synchronized boolean strategy(int connections, Optional<Instant> until) {
        strategyConnections = connections;
        boolean changed = !heldUntil.equals(until);
        heldUntil = until;
        return changed;
    }

    RecentOutcomes recent() {
        return recent;
    }

    /** A connection was made: the count of failures in a row starts again. */
    synchronized void connected() {
        connectionFailures = 0;
    }

    /**
     * Counts a failed connection; true when it makes {@code consecutive_connection_failures_before_delay} in a row
     * (the count then starts again, and the caller defers what waits).
     */
    synchronized boolean connectionFailedTooOften() {
        if (++connectionFailures < path.connectionFailuresBeforeDelay()) {
            return false;
        }
        connectionFailures = 0;
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
