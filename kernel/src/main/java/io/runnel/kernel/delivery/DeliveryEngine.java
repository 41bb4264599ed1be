package io.runnel.kernel.delivery;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.runnel.api.log.LogEvent;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.boot.LogGate;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.QueueSettings;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.delivery.ReadyQueue.Work;
import io.runnel.kernel.dns.DeliveryPlan;
import io.runnel.kernel.dns.Destinations;
import io.runnel.kernel.dns.PlanFailure;
import io.runnel.kernel.dns.PlanResult;
import io.runnel.kernel.ingest.Reception;
import io.runnel.kernel.log.DeliveryLog;
import io.runnel.kernel.log.LogRecord;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.metrics.DeliveryMetrics;
import io.runnel.kernel.queue.AdminRule;
import io.runnel.kernel.queue.DueMessageHandler;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.queue.RetryPolicy;
import io.runnel.kernel.queue.Suspensions;
import io.runnel.kernel.reload.Live;
import io.runnel.kernel.reload.LiveConfig;
import io.runnel.kernel.shaping.EgressPath;
import io.runnel.kernel.shaping.store.ConnectionLeases;
import io.runnel.kernel.report.Verp;
import io.runnel.kernel.rules.OutcomeDecision;
import io.runnel.kernel.rules.OutcomeInput;
import io.runnel.kernel.rules.RuleEngine;
import io.runnel.kernel.shaping.automation.Automation;
import io.runnel.kernel.shaping.automation.AutomationAction;
import io.runnel.kernel.shaping.automation.PathFacts;
import io.runnel.kernel.smtp.client.OutboundMessage;
import io.runnel.kernel.smtp.client.SmtpClientException;
import io.runnel.kernel.smtp.client.TransactionResult;
import io.runnel.kernel.spool.Spool;
import io.runnel.kernel.spool.SpoolException;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery (Postfix qmgr's active side and smtp): takes due messages from the scheduled queues, finds their site,
 * puts them in the ready queue of (egress source, site), runs connections for ready queues, and settles every
 * attempt: records, bounces, spool updates, the next due time.
 *
 * <p>Message state is touched on one thread, "delivery-state": reading metadata and bodies, applying outcomes,
 * writing back. Writes to the spool are asynchronous, so metadata whose write is still in flight is kept in
 * {@link #unsaved} and read from there. Network work runs on the event loops.
 */
public final class DeliveryEngine implements DueMessageHandler, Service {

    private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final SmtpReply LOOKUP_FAILED = SmtpReply.of(451, "4.4.3", "Destination lookup failed");
    private static final SmtpReply LOCAL_FAILURE = SmtpReply.of(451, "4.3.0", "Local error during delivery");
    /** How soon a message held by a site or source suspension is looked at again. */
    private static final Duration HOLD_RECHECK = Duration.ofSeconds(30);
    /** How soon a ready queue held by a shared connection limit looks again. */
    private static final Duration LEASE_RETRY = Duration.ofMillis(500);
    /** Most last replies remembered for InspectMessage; the oldest go first. */
    private static final int LAST_REPLIES = 100_000;
    /** How soon a removal or a delivery-state write that the spool refused (full) is tried again. */
    private static final long SPOOL_RETRY_MILLIS = 1000;

    private final RunnelConfig config;
    private final LiveConfig live;
    private final PathShaping shaping;
    private final StrategyShaping strategy;
    private final SharedLimits shared;
    private final RuleEngine rules;
    private final Clock clock;
    private final Spool spool;
    private final QueueManager queues;
    private final Destinations destinations;
    private final Connector connector;
    private final DeliveryLog records;
    private final DsnComposer dsns;
    private final Reception reception;
    private final Outcomes outcomes;
    private final EgressSelector egress;
    private final RandomGenerator random;
    private final Suspensions suspensions;
    private final Automation automation;
    private final Map<SpoolId, SmtpReply> lastReplies = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SpoolId, SmtpReply> eldest) {
            return size() > LAST_REPLIES;
        }
    });
    private final DeliveryMetrics metrics;
    private final Map<ReadyKey, ReadyQueue> ready = new ConcurrentHashMap<>();
    private final Map<ReadyKey, String> suspendedSites = new ConcurrentHashMap<>();
    private final Map<SpoolId, MessageMeta> unsaved = new HashMap<>();
    /** Metadata read for a send, kept until the send is settled so it is decoded once per attempt. */
    private final Map<SpoolId, MessageMeta> inFlight = new HashMap<>();
    private final RoomWaits roomWaits;
    private ExecutorService state;
    private ScheduledExecutorService timer;
    private volatile boolean running;
    private final LogGate spoolFailures = new LogGate(Duration.ofSeconds(10));

    record ReadyKey(String source, String site) {
    }

    @Inject
    public DeliveryEngine(RunnelConfig config, LiveConfig live, PathShaping shaping, StrategyShaping strategy,
                          SharedLimits shared, RuleEngine rules, Clock clock,
                          RandomGenerator random, Spool spool, QueueManager queues, Destinations destinations,
                          Connector connector, DeliveryLog records, DsnComposer dsns, Reception reception,
                          DeliveryMetrics metrics, Suspensions suspensions, Automation automation) {
        this.config = config;
        this.live = live;
        this.shaping = shaping;
        this.strategy = strategy;
        this.shared = shared;
        this.rules = rules;
        this.clock = clock;
        this.spool = spool;
        this.queues = queues;
        this.destinations = destinations;
        this.connector = connector;
        this.records = records;
        this.dsns = dsns;
        this.reception = reception;
        this.suspensions = suspensions;
        this.automation = automation;
        this.metrics = metrics;
        this.random = RandomGenerator.of("L64X128MixRandom");
        this.outcomes = new Outcomes(new RetryPolicy(random), config.reports().classifier());
        this.egress = new EgressSelector(this.random);
        this.roomWaits = new RoomWaits(this.random);
    }

    // ---- from the scheduled queues to a ready queue

    @Override
    public void due(QueueName queue, SpoolId id) {
        destinations.plan(queue.domain()).whenCompleteAsync((plan, failure) -> route(queue, id, plan, failure), state);
    }

    private void route(QueueName queue, SpoolId id, PlanResult plan, Throwable failure) {
        Optional<MessageMeta> meta = current(id);
        if (meta.isEmpty()) {
            return;
        }
        Live now = live.current();
        DeliveryConfig delivery = now.config().delivery();
        QueueSettings settings = shaping.queueSettings(now, meta.get().tenant(), queue.domain(),
                Optional.ofNullable(plan instanceof DeliveryPlan p ? p : null));
        Optional<AdminRule> bounce = suspensions.bouncing(queue);
        if (bounce.isPresent()) {
            adminBounce(queue, meta.get(), bounce.get(), settings);
            return;
        }
        if (failure != null || plan instanceof PlanFailure) {
            SmtpReply reply = failure != null ? LOOKUP_FAILED : ((PlanFailure) plan).reply();
            AttemptResult result = reply.isPermanent()
                    ? outcomes.afterAttempt(meta.get(), queue.domain(), r -> reply, clock.instant(), settings)
                    : outcomes.withoutAttempt(meta.get(), queue.domain(), reply, clock.instant(), settings);
            settle(queue, meta.get(), result, Delivered.nowhere(), settings);
            return;
        }
        DeliveryPlan site = shaping.plan(now, queue.domain(), (DeliveryPlan) plan);
        EgressSelector.Choice choice = egress.choose(delivery, meta.get().tenant(),
                meta.get().pool().filter(delivery.pools()::containsKey));
        if (routedRuleApplied(queue, meta.get(), site.site(), choice.source().name(), settings)) {
            return;
        }
        ReadyQueue readyQueue = ready.computeIfAbsent(new ReadyKey(choice.source().name(), site.site()), key -> {
            ReadyQueue created = new ReadyQueue(choice.source(), choice.pool().name(), queue.domain(), site,
                    EgressPath.of(delivery.limits()));
            Optional.ofNullable(suspendedSites.get(key)).ifPresent(created::suspend);
            return created;
        });
        if (readyQueue.limitsStale(shaping.generation(now))) {
            refreshLimits(now, readyQueue);
        }
        Duration throttled = shared.messageWait(now, meta.get().tenant(), queue.domain(), readyQueue, clock.instant());
        if (!throttled.isZero()) {
            // a shared rate (tenant, tenant and domain, source, provider) holds it: back to its scheduled queue, no attempt
            queues.schedule(queue, meta.get(), clock.instant().plus(throttled));
            return;
        }
        Work work = new Work(queue, id);
        if (!readyQueue.offer(work, site)) {
            Instant until = delayed(queue, meta.get(), site.site());
            readyQueue.turnedAway(work, until);
            return;
        }
        roomWaits.done(id);
        startConnections(readyQueue);
    }

    /** The queue's shaping under this configuration generation: shaping files, then tenant rules' egress phase. */
    private void refreshLimits(Live now, ReadyQueue readyQueue) {
        CompletableFuture<EgressPath> path = shaping.path(now, readyQueue.domain(), readyQueue.plan(),
                readyQueue.source().name(), readyQueue.pool());
        if (path.isDone() && !path.isCompletedExceptionally()) {
            readyQueue.path(path.join()); // no egress rule to wait for: the message being routed goes under it
            return;
        }
        path.thenAcceptAsync(shaped -> {
            readyQueue.path(shaped);
            startConnections(readyQueue);
        }, state);
    }

    /**
     * After a reload or an automation override, the ready queues that exist take the new shaping (new ones take it
     * when set up).
     */
    private void refreshStaleQueues() {
        Live now = live.current();
        PathShaping.Generation generation = shaping.generation(now);
        ready.values().forEach(q -> {
            if (q.limitsStale(generation)) {
                refreshLimits(now, q);
            }
        });
    }

    /** Applies a suspension or admin bounce that names the site or source; true when one took the message. */
    private boolean routedRuleApplied(QueueName queue, MessageMeta meta, String site, String source, QueueSettings settings) {
        Optional<AdminRule> bounce = suspensions.bouncing(queue, site, source);
        if (bounce.isPresent()) {
            adminBounce(queue, meta, bounce.get(), settings);
            return true;
        }
        Optional<AdminRule> hold = suspensions.holding(queue, site, source);
        if (hold.isPresent()) {
            // back to its scheduled queue, no attempt counted; looked at again soon or when the hold ends
            Instant recheck = clock.instant().plus(HOLD_RECHECK);
            Instant at = hold.get().expiresAt().filter(recheck::isAfter).orElse(recheck);
            queues.schedule(queue, meta, at);
            return true;
        }
        return false;
    }

    /** Bounces the message's recipients at the queue's domain with AdminBounce records (and a DSN unless suppressed). */
    private void adminBounce(QueueName queue, MessageMeta meta, AdminRule rule, QueueSettings settings) {
        if (pendingAt(meta, queue.domain()).isEmpty()) {
            return;
        }
        SmtpReply reply = SmtpReply.of(550, "5.7.1", "Administrative bounce: " + rule.reason());
        suspensions.countBounce(rule);
        settle(queue, meta, outcomes.withoutAttempt(meta, queue.domain(), reply, clock.instant(), settings),
                Delivered.nowhere(), settings, Optional.of(rule));
    }

    /**
     * Admin-bounces messages taken out of their scheduled queues by the control plane; completes once settled
     * (records appended, spool updates queued).
     */
    public CompletableFuture<Void> adminBounce(List<QueueManager.Queued> taken, AdminRule rule) {
        return CompletableFuture.runAsync(() -> {
            for (QueueManager.Queued q : taken) {
                Optional<MessageMeta> meta = current(q.id());
                if (meta.isPresent()) {
                    adminBounce(q.queue(), meta.get(), rule, shaping.queueSettings(live.current(), meta.get().tenant(),
                            q.queue().domain(), Optional.empty()));
                }
            }
        }, state);
    }

    /**
     * Rewrites a queued message's binding (tenant, campaign) and moves it to its new queues; completes with
     * false when the message is not waiting in its scheduled queues (gone, or being delivered), with true once
     * the new metadata is committed to the spool.
     */
    public CompletableFuture<Boolean> rebind(SpoolId id, UnaryOperator<MessageMeta> change, boolean dueNow) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<MessageMeta> meta = current(id);
            if (meta.isEmpty() || inFlight.containsKey(id) || !queues.takeFromAll(QueueManager.queuesOf(meta.get()), id)) {
                return CompletableFuture.completedFuture(false);
            }
            MessageMeta before = change.apply(meta.get());
            MessageMeta moved = dueNow ? before.withDue(clock.instant()) : before;
            unsaved.put(id, moved);
            return spool.updateMeta(moved).handleAsync((done, failure) -> {
                unsaved.remove(id, moved);
                if (failure != null) {
                    log.atError().addKeyValue("spool_id", id).setCause(failure).log("rebind not saved; message keeps its queues");
                    queues.enqueue(meta.get());
                    throw new CompletionException(failure);
                }
                queues.enqueue(moved);
                return true;
            }, state);
        }, state).thenCompose(f -> f);
    }

    /** The last failure reply of a message still being retried (since start), for InspectMessage. */
    public Optional<SmtpReply> lastReply(SpoolId id) {
        return Optional.ofNullable(lastReplies.get(id));
    }

    /** One message waiting in a ready queue, for the queue summary. */
    public record ReadyMessage(String source, String site, String pool, QueueName queue, SpoolId id) {
    }

    /** The messages waiting in ready queues (not those on a connection right now). */
    public List<ReadyMessage> readySnapshot() {
        List<ReadyMessage> out = new ArrayList<>();
        ready.forEach((key, q) -> q.waiting().forEach(w -> out.add(new ReadyMessage(key.source(), key.site(), q.pool(),
                w.queue(), w.id()))));
        return out;
    }

    /**
     * The ready queue was full: back to the scheduled queue for a while, longer each time in a row, with a Delayed
     * record the first time. Returns when the wait ends; the ready queue calls the message back sooner once it has
     * room ({@link #roomIn}).
     */
    private Instant delayed(QueueName queue, MessageMeta meta, String site) {
        int inARow = roomWaits.miss(meta.id());
        Instant until = clock.instant().plus(roomWaits.waitAfter(inARow));
        queues.schedule(queue, meta, until);
        if (inARow > 1) {
            return until;
        }
        SmtpReply reply = SmtpReply.of(451, "4.4.5", "Ready queue for " + site + " is full; delayed");
        for (Recipient r : pendingAt(meta, queue.domain())) {
            records.append(LogRecord.outcome(LogEvent.Type.DELAYED, meta, r.address(), queue.toString(), site,
                    LogRecord.Response.of(reply, Optional.empty()), Optional.empty(), Optional.empty(), clock.instant()));
        }
        return until;
    }

    void startConnections(ReadyQueue readyQueue) {
        if (!running) {
            return;
        }
        readyQueue.wakeable().forEach(DeliveryConnection::next);
        if (readyQueue.size() > 0) {
            strategy.consult(live.current(), readyQueue, clock.instant());
        }
        while (running) {
            ReadyQueue.Reservation reservation = readyQueue.reserveConnection(clock.instant());
            if (!reservation.reserved()) {
                reservation.retryAfter().ifPresent(wait -> retryConnections(readyQueue, wait));
                return;
            }
            Optional<List<ConnectionLeases.Lease>> leases = shared.connectionLeases(readyQueue);
            if (leases.isEmpty()) {
                // a shared connection limit is reached (other paths or nodes hold it): look again soon
                readyQueue.releaseConnection();
                retryConnections(readyQueue, LEASE_RETRY);
                return;
            }
            new DeliveryConnection(this, readyQueue, connector, leases.get()).start();
        }
    }

    /** Tries {@link #startConnections} again after {@code wait}, unless a retry is scheduled already. */
    private void retryConnections(ReadyQueue readyQueue, Duration wait) {
        if (readyQueue.scheduleConnectionRetry()) {
            after(wait, () -> {
                readyQueue.connectionRetryDue();
                startConnections(readyQueue);
            });
        }
    }

    /**
     * A connection closed: its leases go back and its queue may open another, on the state thread (both may ask
     * Redis; the event loop that closed the connection must not wait for it).
     */
    void connectionEnded(ReadyQueue readyQueue, List<ConnectionLeases.Lease> leases) {
        if (!running) {
            leases.forEach(ConnectionLeases.Lease::release);
            return;
        }
        state.execute(() -> {
            leases.forEach(ConnectionLeases.Lease::release);
            startConnections(readyQueue);
        });
    }

    /**
     * Runs {@code then} after {@code wait} (a throttle's): the work stays where it is meanwhile. Once stopping, runs
     * it at once, so a waiting connection sees the stop and closes.
     */
    void after(Duration wait, Runnable then) {
        if (running) {
            timer.schedule(then, wait.toNanos(), TimeUnit.NANOSECONDS);
        } else {
            then.run();
        }
    }

    Instant now() {
        return clock.instant();
    }

    // ---- what connections ask of the state thread

    /**
     * A connection took work from {@code queue}: once it is down to half full, the messages it turned away are made
     * due now rather than waiting out their time, so a burst bigger than {@code max_ready} flows at the site's pace.
     */
    void roomIn(ReadyQueue queue) {
        Map<Work, Instant> called = queue.callBack();
        if (!called.isEmpty() && running) {
            state.execute(() -> called.forEach((work, until) -> queues.pullForward(work.queue(), work.id(), until)));
        }
    }

    /**
     * Loads what the next send needs: the recipients of the work's domain still pending (at most
     * {@code maxRecipients}; the others go in a transaction of their own right after), and the message.
     */
    CompletableFuture<Optional<OutboundMessage>> prepare(Work work, int maxRecipients) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<MessageMeta> meta = current(work.id());
            if (meta.isEmpty()) {
                return Optional.<OutboundMessage>empty();
            }
            List<Recipient> pending = pendingAt(meta.get(), work.queue().domain());
            List<Recipient> attempted = pending.subList(0, Math.min(pending.size(), maxRecipients));
            if (attempted.isEmpty()) {
                return Optional.<OutboundMessage>empty();
            }
            Optional<byte[]> body = body(work.id());
            if (body.isEmpty()) {
                log.atError().addKeyValue("spool_id", work.id()).log("spooled body missing; message cannot be sent");
                return Optional.<OutboundMessage>empty();
            }
            inFlight.put(work.id(), meta.get());
            return Optional.of(new OutboundMessage(envelopeSender(meta.get(), attempted), attempted, meta.get().parameters(),
                    body.get()));
        }, state);
    }

    /** The MAIL FROM: the VERP address when configured, except for null senders (bounces never bounce). */
    private EmailAddress envelopeSender(MessageMeta meta, List<Recipient> attempted) {
        if (meta.sender().isNullSender()) {
            return meta.sender();
        }
        return config.reports().verp()
                .map(verp -> Verp.encode(verp, meta.id(), attempted.stream().map(Recipient::address).toList()))
                .orElse(meta.sender());
    }

    /**
     * Settles one sent (or failed) transaction; completes once the state is updated. Failed recipients of a tenant
     * with outcome rules go through them first (off the state thread): a rule may turn a reply into a bounce or
     * send the message on through another pool; a rule that fails leaves the reply as it was.
     */
    CompletableFuture<Void> afterSend(Work work, OutboundMessage sent, TransactionResult result, Throwable failure,
                                      Delivered where) {
        Live now = live.current();
        return CompletableFuture.supplyAsync(() -> {
            Optional<MessageMeta> meta = current(work.id());
            if (meta.isEmpty()) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Map<Recipient, SmtpReply> replies = new HashMap<>();
            for (int i = 0; i < sent.recipients().size(); i++) {
                SmtpReply reply = failure != null ? failureReply(failure) : result.replyFor(i);
                replies.putIfAbsent(sent.recipients().get(i), reply);
            }
            Sent attempt = new Sent(meta.get(), replies);
            if (!outcomeRulesApply(now, attempt)) { // the common case: settled in this same task
                settleSent(now, work, new Ruled(replies, Optional.empty()), where);
                return CompletableFuture.<Void>completedFuture(null);
            }
            return outcomeRules(now, attempt, work.queue().domain(), where)
                    .thenAcceptAsync(ruled -> settleSent(now, work, ruled, where), state);
        }, state).thenCompose(settled -> settled);
    }

    private void settleSent(Live now, Work work, Ruled ruled, Delivered where) {
        Optional<MessageMeta> meta = current(work.id());
        if (meta.isEmpty()) {
            return;
        }
        DeliveryConfig delivery = now.config().delivery();
        QueueSettings settings = shaping.queueSettings(now, meta.get().tenant(), work.queue().domain(), where.plan());
        // recipients left out of this transaction (max_recipients_per_batch) have no reply: they stay pending
        AttemptResult outcome = outcomes.afterAttempt(meta.get(), work.queue().domain(), ruled.replies()::get,
                clock.instant(), settings);
        settle(work.queue(), meta.get(), requeued(outcome, ruled.requeue(), delivery), where, settings);
    }

    private static boolean outcomeRulesApply(Live now, Sent sent) {
        return now.rules().hasOutcomeRules(sent.meta().tenant())
                && !sent.replies().values().stream().allMatch(SmtpReply::isPositive);
    }

    /** One transaction's replies per recipient, with the metadata it was sent under. */
    private record Sent(MessageMeta meta, Map<Recipient, SmtpReply> replies) {
    }

    /** The replies after the outcome rules, and the pool a rule sent the message on through. */
    private record Ruled(Map<Recipient, SmtpReply> replies, Optional<String> requeue) {
    }

    private CompletableFuture<Ruled> outcomeRules(Live now, Sent sent, String domain, Delivered where) {
        MessageMeta meta = sent.meta();
        String pool = where.pool().orElse("");
        Map<Recipient, CompletableFuture<OutcomeDecision>> calls = new HashMap<>();
        sent.replies().forEach((recipient, reply) -> {
            if (!reply.isPositive()) {
                calls.put(recipient, rules.outcome(now.rules(), new OutcomeInput(reply, recipient.address().toString(), domain,
                        meta.tenant(), pool, meta.attempts() + 1)).exceptionally(failure -> OutcomeDecision.NONE));
            }
        });
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<Recipient, SmtpReply> replies = new HashMap<>(sent.replies());
            Optional<String> requeue = Optional.empty();
            for (Map.Entry<Recipient, CompletableFuture<OutcomeDecision>> call : calls.entrySet()) {
                OutcomeDecision decision = call.getValue().join();
                decision.reply().ifPresent(reply -> replies.put(call.getKey(), reply));
                requeue = requeue.or(decision::requeue);
            }
            return new Ruled(replies, requeue);
        });
    }

    /** A rule's requeue: recipients still pending go out again at once, through the pool the rule named. */
    private AttemptResult requeued(AttemptResult result, Optional<String> pool, DeliveryConfig delivery) {
        if (pool.isEmpty() || result.retryAt().isEmpty()) {
            return result;
        }
        if (!delivery.pools().containsKey(pool.get())) {
            log.atWarn().addKeyValue("pool", pool.get()).addKeyValue("spool_id", result.meta().id())
                    .log("outcome rule named an undefined egress pool; normal retry");
            return result;
        }
        return new AttemptResult(result.meta().withPool(pool.get()), result.outcomes(), Optional.of(clock.instant()), false);
    }

    /**
     * A connection to the site could not be made. Below {@code consecutive_connection_failures_before_delay} in a
     * row, the waiting mail stays for the next connection (the closing one starts it); then everything waiting for
     * the site is deferred, no attempt burnt.
     */
    void connectionFailed(ReadyQueue readyQueue, SmtpReply reply) {
        readyQueue.recent().transientFailure(clock.instant());
        if (!readyQueue.connectionFailedTooOften()) {
            return;
        }
        state.execute(() -> {
            for (Work work : readyQueue.drain()) {
                Optional<MessageMeta> meta = current(work.id());
                if (meta.isEmpty() || pendingAt(meta.get(), work.queue().domain()).isEmpty()) {
                    continue;
                }
                QueueSettings settings = shaping.queueSettings(live.current(), meta.get().tenant(), work.queue().domain(),
                        Optional.of(readyQueue.plan()));
                settle(work.queue(), meta.get(), outcomes.withoutAttempt(meta.get(), work.queue().domain(), reply, clock.instant(),
                        settings), Delivered.via(readyQueue, Optional.empty()), settings);
            }
        });
    }

    boolean running() {
        return running;
    }

    /**
     * Stops new connections from {@code source} to {@code site} (messages wait in its ready queue, still spooled)
     * until {@link #resumeSite}. Takes effect for a site not seen yet too.
     */
    public void suspendSite(String source, String site, String reason) {
        ReadyKey key = new ReadyKey(source, site);
        suspendedSites.put(key, reason);
        Optional.ofNullable(ready.get(key)).ifPresent(q -> q.suspend(reason));
    }

    public void resumeSite(String source, String site) {
        ReadyKey key = new ReadyKey(source, site);
        suspendedSites.remove(key);
        Optional.ofNullable(ready.get(key)).ifPresent(q -> {
            q.resume();
            startConnections(q);
        });
    }

    /** The ready queues as they are now. */
    public List<ReadyQueueSnapshot> readyQueues() {
        return ready.values().stream().map(ReadyQueue::snapshot).toList();
    }

    /** Runs {@code then} after {@code idle}: how long a parked connection waits for more work. */
    void afterIdle(Duration idle, Runnable then) {
        timer.schedule(then, idle.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- settling an attempt (state thread)

    private void settle(QueueName queue, MessageMeta before, AttemptResult result, Delivered where, QueueSettings settings) {
        settle(queue, before, result, where, settings, Optional.empty());
    }

    /** @param admin the admin bounce rule that decided the outcome, if any: AdminBounce records, DSN per the rule */
    private void settle(QueueName queue, MessageMeta before, AttemptResult result, Delivered where, QueueSettings settings,
                        Optional<AdminRule> admin) {
        MessageMeta meta = result.meta();
        inFlight.remove(meta.id());
        Instant now = clock.instant();
        Optional<RecentOutcomes> recent = where.source().map(source -> ready.get(new ReadyKey(source, where.site())))
                .map(ReadyQueue::recent);
        for (RecipientOutcome outcome : result.outcomes()) {
            LogEvent.Type type = admin.isPresent() ? LogEvent.Type.ADMIN_BOUNCE : recordType(outcome.kind());
            if (outcome.kind() == RecipientOutcome.Kind.DEFERRED) {
                lastReplies.put(meta.id(), outcome.reply());
            }
            LogRecord record = LogRecord.outcome(type, meta, outcome.recipient().address(),
                    queue.toString(), where.site(), LogRecord.Response.of(outcome.reply(), Optional.empty()),
                    where.peer(), where.tls(), now).withBounceClassification(outcome.category());
            LogRecord egress = where.egress(record);
            if (result.finished()) {
                records.appendFinal(egress); // the spool removal below waits for it: never dropped
            } else {
                records.append(egress);
            }
            recent.ifPresent(r -> {
                if (outcome.kind() == RecipientOutcome.Kind.DELIVERED) {
                    r.delivered(now);
                } else if (outcome.kind() == RecipientOutcome.Kind.DEFERRED) {
                    r.transientFailure(now);
                }
            });
            metrics.outcome(recordType(outcome.kind()), meta.tenant(), where.site()); // an admin bounce counts as bounced
        }
        List<RecipientReport> reports = new ArrayList<>();
        for (RecipientOutcome o : result.outcomes()) {
            if (o.kind().isFailure()) {
                reports.add(RecipientReport.failed(o.recipient(), o.reply(), where.remoteHost(), now));
            } else if (o.kind() == RecipientOutcome.Kind.DEFERRED && delayWarningDue(before, now, settings)) {
                reports.add(RecipientReport.delayed(o.recipient(), o.reply(), where.remoteHost(), now,
                        meta.receivedAt().plus(settings.maxAge())));
            }
        }
        if (!reports.isEmpty() && !admin.map(AdminRule::suppressDsn).orElse(false)) {
            notifySender(meta, reports);
        }
        if (admin.isEmpty() && where.source().isPresent()) {
            automate(queue, where, result.outcomes());
        }
        if (result.finished()) {
            unsaved.remove(meta.id());
            lastReplies.remove(meta.id());
            roomWaits.done(meta.id());
            removeWhenLogged(meta.id());
            return;
        }
        unsaved.put(meta.id(), meta);
        save(meta);
        result.retryAt().ifPresent(at -> queues.schedule(queue, meta, at));
    }

    /**
     * Writes a message's new delivery state. Until it is on disk the state lives in {@link #unsaved} and is read from
     * there; a refused write (a full spool) is tried again until it passes, so no later attempt sends again to a
     * recipient already delivered, and a restart finds the state once there is room.
     */
    private void save(MessageMeta meta) {
        spool.updateMeta(meta).whenCompleteAsync((done, failure) -> {
            if (unsaved.get(meta.id()) != meta) {
                return; // a newer state replaced this one, or the message is finished
            }
            if (failure == null) {
                unsaved.remove(meta.id());
                return;
            }
            long held = spoolFailures.pass(); // a full spool fails every update: one line per interval
            if (held >= 0) {
                log.atError().addKeyValue("spool_id", meta.id()).addKeyValue("similar_not_logged", held).setCause(failure)
                        .log("delivery state not saved; kept in memory and tried again");
            }
            if (running) {
                timer.schedule(() -> save(meta), SPOOL_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }, state);
    }

    /**
     * The message leaves the spool only once its final records are on disk. A full spool can refuse even a removal
     * (LMDB copies the pages it changes): it is tried again until it passes, so the space comes back.
     */
    private void removeWhenLogged(SpoolId id) {
        records.whenWritten().thenCompose(written -> spool.remove(id)).whenComplete((done, failure) -> {
            if (failure == null) {
                return;
            }
            boolean full = failure.getCause() instanceof SpoolException.SpoolFull || failure instanceof SpoolException.SpoolFull;
            long held = spoolFailures.pass();
            if (held >= 0) {
                log.atError().addKeyValue("spool_id", id).addKeyValue("similar_not_logged", held).setCause(failure)
                        .log(full ? "finished message not removed; trying again" : "finished message not removed");
            }
            if (full && running) {
                timer.schedule(() -> removeWhenLogged(id), SPOOL_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * Shows each distinct failure reply of the attempt to traffic-shaping automation. When it newly holds or bounces
     * mail on the path, what waits in the path's ready queue goes through routing again, where the hold applies.
     */
    private void automate(QueueName queue, Delivered where, List<RecipientOutcome> outcomes) {
        List<SmtpReply> seen = null;
        for (RecipientOutcome o : outcomes) {
            if ((o.kind() == RecipientOutcome.Kind.DEFERRED || o.kind() == RecipientOutcome.Kind.BOUNCED)
                    && (seen == null || !seen.contains(o.reply()))) {
                seen = seen == null ? new ArrayList<>(1) : seen;
                seen.add(o.reply());
            }
        }
        if (seen == null) {
            return;
        }
        PathFacts path = new PathFacts(where.source().get(), where.site(), queue.tenant(), queue.campaign(), queue.domain());
        boolean holds = false;
        try {
            for (SmtpReply reply : seen) {
                holds |= automation.observe(path, reply, clock.instant()).stream().anyMatch(AutomationAction::holdsMail);
            }
        } catch (RuntimeException e) { // the attempt is still settled; automation only misses this reply
            log.atError().addKeyValue("site", path.site()).addKeyValue("source", path.source()).setCause(e)
                    .log("automation failed on a reply");
        }
        ReadyQueue waiting = holds ? ready.get(new ReadyKey(path.source(), path.site())) : null;
        if (waiting != null) {
            waiting.drain().forEach(work -> due(work.queue(), work.id()));
        }
    }

    /**
     * True on the first attempt after the message has waited {@code delay_warning}: the attempt before this one
     * (if any) came earlier than that. So the sender is warned once.
     */
    private static boolean delayWarningDue(MessageMeta before, Instant now, QueueSettings settings) {
        return settings.delayWarning().map(warning -> {
            Instant threshold = before.receivedAt().plus(warning);
            return !now.isBefore(threshold) && before.lastAttempt().map(last -> last.isBefore(threshold)).orElse(true);
        }).orElse(false);
    }

    /** An RFC 3464 report to the sender, injected like any other message (so it has its own queue and retries). */
    private void notifySender(MessageMeta meta, List<RecipientReport> reports) {
        Optional<byte[]> original = body(meta.id());
        if (original.isEmpty()) {
            return;
        }
        Optional<ComposedDsn> dsn = dsns.compose(meta, original.get(), config.server().hostname(), reports);
        dsn.ifPresent(report -> {
            ReceptionFacts local = new ReceptionFacts("local", "127.0.0.1", config.server().hostname(), "LOCAL",
                    Optional.empty(), Optional.empty());
            Reception.Envelope envelope = new Reception.Envelope(report.sender(), report.parameters(),
                    List.of(Recipient.pending(report.recipient(), Set.of(), Optional.empty())));
            reception.receive(config.server().hostname(), local, envelope, Unpooled.wrappedBuffer(report.message()),
                    ByteBufAllocator.DEFAULT).whenComplete((id, failure) -> {
                        if (failure != null) {
                            log.atError().addKeyValue("spool_id", meta.id()).setCause(failure).log("bounce not spooled");
                        }
                    });
        });
    }

    private Optional<MessageMeta> current(SpoolId id) {
        MessageMeta pending = unsaved.get(id);
        if (pending == null) {
            pending = inFlight.get(id);
        }
        if (pending != null) {
            return Optional.of(pending);
        }
        try {
            return spool.loadMeta(id);
        } catch (SpoolException e) {
            log.atError().addKeyValue("spool_id", id).setCause(e).log("unreadable metadata; message left spooled");
            return Optional.empty();
        }
    }

    private Optional<byte[]> body(SpoolId id) {
        try {
            return spool.loadBody(id);
        } catch (SpoolException e) {
            log.atError().addKeyValue("spool_id", id).setCause(e).log("unreadable body");
            return Optional.empty();
        }
    }

    private static List<Recipient> pendingAt(MessageMeta meta, String domain) {
        return meta.recipients().stream()
                .filter(r -> r.state() == RecipientState.PENDING && r.address().domain().equals(domain)).toList();
    }

    private static SmtpReply failureReply(Throwable failure) {
        Throwable cause = failure.getCause() != null && !(failure instanceof SmtpClientException) ? failure.getCause() : failure;
        return cause instanceof SmtpClientException e ? e.reply() : LOCAL_FAILURE;
    }

    private static LogEvent.Type recordType(RecipientOutcome.Kind kind) {
        return switch (kind) {
            case DELIVERED -> LogEvent.Type.DELIVERY;
            case BOUNCED -> LogEvent.Type.BOUNCE;
            case DEFERRED -> LogEvent.Type.TRANSIENT_FAILURE;
            case EXPIRED -> LogEvent.Type.EXPIRATION;
        };
    }

    // ---- lifecycle

    @Override
    public int phase() {
        return Phases.DELIVERY;
    }

    @Override
    public String name() {
        return "delivery";
    }

    @Override
    public void start() throws SSLException {
        connector.start();
        state = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "delivery-state");
            t.setDaemon(true);
            return t;
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "delivery-idle");
            t.setDaemon(true);
            return t;
        });
        running = true;
        timer.scheduleWithFixedDelay(() -> state.execute(this::refreshStaleQueues), 1, 1, TimeUnit.SECONDS);
        queues.deliverTo(this);
    }

    /** Stops opening connections and waits for the ones sending to finish; unsent messages stay spooled. */
    @Override
    public void stop(Duration grace) {
        running = false;
        ready.values().forEach(q -> q.takeIdle().forEach(DeliveryConnection::quit));
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && ready.values().stream().anyMatch(q -> q.connections() > 0)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        timer.shutdownNow();
        state.shutdown();
        try {
            state.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
