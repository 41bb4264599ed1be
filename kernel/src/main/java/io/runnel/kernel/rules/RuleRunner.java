package io.runnel.kernel.rules;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs rules off the event loops on a bounded pool, each call with a deadline. A call past its deadline fails
 * with the file and line the rule was executing, and its thread is interrupted (the compiled rules check for that
 * in every loop and closure, so a runaway loop stops). A full pool fails the call at once.
 */
final class RuleRunner {

    /** Calls waiting for a thread; beyond that the pool is overloaded and messages are deferred. */
    private static final int QUEUE = 10_000;

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer;

    RuleRunner(int threads) {
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "rules-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rules-deadline");
            t.setDaemon(true);
            return t;
        });
    }

    /** The work of one call: runs rules of one or more scripts, saying which one it is in. */
    interface Work<T> {
        T run(Call call) throws Exception;
    }

    /** What the deadline needs to know about a running call. */
    static final class Call {
        private volatile Thread thread;
        private volatile String file = "rules";

        /** The script whose rules run from now on. */
        void in(String file) {
            this.file = file;
        }

        String file() {
            return file;
        }
    }

    <T> CompletableFuture<T> call(Duration timeout, Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Call call = new Call();
        Runnable task = () -> {
            call.thread = Thread.currentThread();
            try {
                if (!result.isDone()) {
                    result.complete(work.run(call));
                }
            } catch (Exception | StackOverflowError | AssertionError e) {
                result.completeExceptionally(new RuleException(call.file(), RuleErrors.lineOf(e, call.file()),
                        RuleErrors.reason(e), e));
            } finally {
                call.thread = null;
                Thread.interrupted(); // a deadline that fired as the call ended must not hit the next task
            }
        };
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new RuleException("rules", Optional.empty(), "rule threads overloaded", e));
            return result;
        }
        ScheduledFuture<?> deadline = timer.schedule(() -> expire(call, result, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((value, failure) -> deadline.cancel(false));
        return result;
    }

    private static <T> void expire(Call call, CompletableFuture<T> result, Duration timeout) {
        Thread thread = call.thread;
        Optional<Integer> line = Optional.empty();
        if (thread != null) {
            Throwable where = new Throwable();
            where.setStackTrace(thread.getStackTrace());
            line = RuleErrors.lineOf(where, call.file());
        }
        if (result.completeExceptionally(new RuleException(call.file(), line,
                "ran longer than " + timeout.toMillis() + "ms; interrupted", null)) && thread != null) {
            thread.interrupt();
        }
    }

    /** Runs a freshly compiled script's top level (which registers its rules) and waits for it. */
    void runTopLevel(String file, RuleScript script, Duration timeout) throws RuleException {
        try {
            call(timeout, c -> {
                c.in(file);
                return script.run();
            }).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuleException rule) {
                throw rule;
            }
            throw new RuleException(file, Optional.empty(), RuleErrors.reason(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuleException(file, Optional.empty(), "interrupted while loading", e);
        }
    }

    void stop() {
        pool.shutdownNow();
        timer.shutdownNow();
    }
}
