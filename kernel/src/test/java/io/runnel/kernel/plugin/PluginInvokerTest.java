package io.runnel.kernel.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PluginInvokerTest {

    private final PluginInvoker invoker = new PluginInvoker(1, 1);
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void stop() {
        never.countDown();
        invoker.stop(Duration.ofSeconds(5));
    }

    @Test
    void successfulCallReturnsItsValue() {
        PluginResult<String> result = invoker.call("p", Duration.ofSeconds(5), OnFailure.TEMPFAIL, () -> "ok").join();

        assertThat(result).isEqualTo(new PluginResult.Success<>("ok"));
        assertThat(invoker.stats("p")).isEqualTo(new PluginCallStats(1, 0, 0));
    }

    @Test
    void exceptionIsReportedAsFailedAndNotPropagated() {
        PluginResult<String> result = invoker.<String>call("p", Duration.ofSeconds(5), OnFailure.TEMPFAIL, () -> {
            throw new IOException("clamd refused");
        }).join();

        assertThat(result).isInstanceOfSatisfying(PluginResult.Failed.class, f -> {
            assertThat(f.pluginId()).isEqualTo("p");
            assertThat(f.reason()).isEqualTo("java.io.IOException: clamd refused");
            assertThat(f.action()).isEqualTo(OnFailure.TEMPFAIL);
            assertThat(f.cause()).get().isInstanceOf(IOException.class);
        });
        assertThat(invoker.stats("p")).isEqualTo(new PluginCallStats(1, 1, 0));
    }

    @Test
    void slowCallTimesOutAndIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);

        PluginResult<String> result = invoker.call("slow", Duration.ofMillis(50), OnFailure.CONTINUE, () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return "late";
        }).get(10, TimeUnit.SECONDS);

        assertThat(result).isEqualTo(new PluginResult.Failed<>("slow", "timed out after 50ms", OnFailure.CONTINUE,
                Optional.empty()));
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the plugin thread was interrupted").isTrue();
        assertThat(invoker.stats("slow")).isEqualTo(new PluginCallStats(1, 1, 1));
    }

    @Test
    void callBeyondTheQueueIsRejectedAsFailure() {
        CountDownLatch running = new CountDownLatch(1);
        invoker.call("busy", Duration.ofSeconds(30), OnFailure.CONTINUE, () -> {
            running.countDown();
            never.await();
            return 1;
        });
        await(running);
        invoker.call("busy", Duration.ofSeconds(30), OnFailure.CONTINUE, () -> 2); // fills the one queue slot

        CompletableFuture<PluginResult<Integer>> third =
                invoker.call("busy", Duration.ofSeconds(30), OnFailure.TEMPFAIL, () -> 3);

        assertThat(third.join()).isInstanceOfSatisfying(PluginResult.Failed.class,
                f -> assertThat(f.reason()).startsWith("rejected"));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
