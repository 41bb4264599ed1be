package io.runnel.kernel.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runnel.kernel.plugin.OnFailure;
import io.runnel.kernel.plugin.PluginInvoker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Guarded plugin calls are timed by plugin, extension point and outcome, failures and timeouts included. */
class PluginMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PluginInvoker invoker = new PluginInvoker(1, 4, new PluginMetrics(registry));
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void stop() {
        never.countDown();
        invoker.stop(Duration.ofSeconds(5));
    }

    @Test
    void callsAreTimedByPluginExtensionPointAndOutcome() {
        invoker.call("dkim", "MessageSigner", Duration.ofSeconds(5), OnFailure.TEMPFAIL, () -> "signed").join();
        invoker.call("clamav", "MessageScanner", Duration.ofSeconds(5), OnFailure.CONTINUE, () -> {
            throw new IOException("clamd refused");
        }).join();
        invoker.call("clamav", "MessageScanner", Duration.ofMillis(50), OnFailure.CONTINUE, () -> {
            never.await();
            return "late";
        }).join();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText m = PrometheusText.parse(registry.scrape());
            String name = "runnel_plugin_call_duration_seconds_count";
            assertThat(m.value(name, "plugin", "dkim", "extension_point", "MessageSigner", "outcome", "success")).contains(1.0);
            assertThat(m.value(name, "plugin", "dkim", "extension_point", "MessageSigner", "outcome", "failure")).contains(0.0);
            assertThat(m.value(name, "plugin", "clamav", "extension_point", "MessageScanner", "outcome", "failure")).contains(2.0);
        });
        assertThat(invoker.stats("clamav").timeouts()).isEqualTo(1);
    }
}
