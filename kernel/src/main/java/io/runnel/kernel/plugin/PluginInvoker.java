package io.runnel.kernel.plugin;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.metrics.PluginMetrics;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs every call into plugin code: on a bounded pool (never on an event loop), with a deadline, turning any
 * exception, timeout or full queue into {@link PluginResult.Failed} carrying the caller's {@link OnFailure}. This is
 * the only place that catches {@code Exception} around foreign code (STYLE C8); nothing a plugin throws reaches
 * the caller. A call that misses its deadline is interrupted; a plugin that ignores interrupts keeps a pool thread
 * busy, which the bounded queue turns into failures instead of unbounded growth.
 */
public final class PluginInvoker implements Service {

    private static final int THREADS = 4;
    private static final int QUEUE = 1024;
    /** The extension-point label of calls that do not name one. */
    static final String UNNAMED_POINT = "unnamed";

    private final ThreadPoolExecutor pool;
    /**
     * A wheel, not a ScheduledThreadPoolExecutor: nearly every deadline is cancelled, and cancelling the soonest entry
     * of an executor's queue wakes its thread, one futex round trip per call; a wheel only marks the entry.
     */
    private final HashedWheelTimer deadlines;
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final PluginMetrics metrics;

    @Inject
    public PluginInvoker(PluginMetrics metrics) {
        this(THREADS, QUEUE, metrics);
    }

    /** An invoker whose calls are not timed (tests, embedding). */
    public PluginInvoker(int threads, int queueCapacity) {
        this(threads, queueCapacity, PluginMetrics.unobserved());
    }

    /** Threads start on first use, so constructing one (in Guice or a test) has no side effects. */
    public PluginInvoker(int threads, int queueCapacity, PluginMetrics metrics) {
        this.metrics = metrics;
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), threads("plugin-call"), new ThreadPoolExecutor.AbortPolicy());
        // 10 ms ticks: deadlines are tens of milliseconds at the least; daemon thread, so no leak tracking is needed
        deadlines = new HashedWheelTimer(threads("plugin-deadline"), 10, TimeUnit.MILLISECONDS, 512, false);
    }

    /**
     * Calls {@code call} for plugin {@code pluginId}. The stage always completes normally, with
     * {@link PluginResult.Success} or {@link PluginResult.Failed} (which carries {@code onFailure}).
     */
    public <T> CompletableFuture<PluginResult<T>> call(String pluginId, Duration deadline, OnFailure onFailure,
                                                      Callable<T> call) {
        return call(pluginId, UNNAMED_POINT, deadline, onFailure, call);
    }

    /**
     * As {@link #call(String, Duration, OnFailure, Callable)}, timed in the metrics under {@code extensionPoint}
     * (the interface's simple name, such as "MessageSigner").
     */
    public <T> CompletableFuture<PluginResult<T>> call(String pluginId, String extensionPoint, Duration deadline,
                                                      OnFailure onFailure, Callable<T> call) {
        PluginMetrics.Call timing = metrics.start(pluginId, extensionPoint);
        Counters count = counters.computeIfAbsent(pluginId, id -> new Counters());
        count.calls.increment();
        CompletableFuture<PluginResult<T>> result = new CompletableFuture<>();
        Future<?> task;
        try {
            task = pool.submit(() -> run(pluginId, onFailure, call, result));
        } catch (RejectedExecutionException e) {
            count.failures.increment();
            timing.done(true);
            result.complete(new PluginResult.Failed<>(pluginId, "rejected: too many plugin calls in flight", onFailure,
                    Optional.empty()));
            return result;
        }
        Runnable expire = () -> {
            if (result.complete(new PluginResult.Failed<>(pluginId, "timed out after " + deadline.toMillis() + "ms",
                    onFailure, Optional.empty()))) {
                count.timeouts.increment();
                task.cancel(true);
            }
        };
        try {
            Timeout timer = deadlines.newTimeout(t -> expire.run(), deadline.toNanos(), TimeUnit.NANOSECONDS);
            result.whenComplete((r, t) -> timer.cancel());
        } catch (IllegalStateException e) {
            expire.run(); // stopped: nobody would enforce the deadline
        }
        result.thenAccept(r -> {
            if (r instanceof PluginResult.Failed) {
                count.failures.increment();
            }
            timing.done(r instanceof PluginResult.Failed);
        });
        return result;
    }

    /**
     * Calls {@code call} for plugin {@code pluginId} on the calling thread, without a deadline: for callers that
     * give each plugin a thread of its own (log shippers), so a slow plugin holds up only its own work and the
     * plugin keeps to its own timeouts. Counted and timed like {@link #call}; never throws what the plugin throws.
     */
    public <T> PluginResult<T> callHere(String pluginId, String extensionPoint, OnFailure onFailure, Callable<T> call) {
        PluginMetrics.Call timing = metrics.start(pluginId, extensionPoint);
        Counters count = counters.computeIfAbsent(pluginId, id -> new Counters());
        count.calls.increment();
        CompletableFuture<PluginResult<T>> result = new CompletableFuture<>();
        run(pluginId, onFailure, call, result);
        PluginResult<T> done = result.join();
        if (done instanceof PluginResult.Failed) {
            count.failures.increment();
        }
        timing.done(done instanceof PluginResult.Failed);
        return done;
    }

    /** Calls to {@code pluginId} so far. */
    public PluginCallStats stats(String pluginId) {
        Counters c = counters.get(pluginId);
        return c == null ? new PluginCallStats(0, 0, 0)
                : new PluginCallStats(c.calls.sum(), c.failures.sum(), c.timeouts.sum());
    }

    private static <T> void run(String pluginId, OnFailure onFailure, Callable<T> call,
                                CompletableFuture<PluginResult<T>> result) {
        if (result.isDone()) {
            return; // timed out while queued
        }
        try {
            result.complete(new PluginResult.Success<>(call.call()));
        } catch (Exception | LinkageError e) { // LinkageError: a plugin built against classes we do not have
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            result.complete(new PluginResult.Failed<>(pluginId, describe(e), onFailure, Optional.of(e)));
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof PluginLoadException) {
            return e.getMessage();
        }
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public int phase() {
        return Phases.PLUGIN_CALLS;
    }

    @Override
    public String name() {
        return "plugin-invoker";
    }

    @Override
    public void start() {
    }

    @Override
    public void stop(Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        deadlines.stop();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static final class Counters {
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder timeouts = new LongAdder();
    }
}
