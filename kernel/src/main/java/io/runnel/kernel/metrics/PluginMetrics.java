package io.runnel.kernel.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Guarded plugin calls, by plugin, extension point and outcome: the time from the call to its result (queueing on
 * the plugin pool included), so a slow or failing plugin shows up by name. Plugin ids come from installed jars,
 * which bounds the label.
 */
@Singleton
public final class PluginMetrics {

    private final MeterRegistry registry;
    private final MeterCache<MeterCache<Timer[]>> timers;

    @Inject
    public PluginMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.timers = new MeterCache<>(plugin -> new MeterCache<>(point -> new Timer[] {
                timer(registry, plugin, point, "success"), timer(registry, plugin, point, "failure")}));
    }

    private static Timer timer(MeterRegistry registry, String plugin, String point, String outcome) {
        return Timer.builder("runnel.plugin.call.duration")
                .description("Guarded plugin calls: time to the result; outcome failure counts exceptions, timeouts and refusals")
                .tag("plugin", plugin).tag("extension_point", point).tag("outcome", outcome)
                .serviceLevelObjectives(LatencyBuckets.millisToSeconds())
                .register(registry);
    }

    /** For an invoker built outside the daemon: timings go nowhere. */
    public static PluginMetrics unobserved() {
        return new PluginMetrics(new CompositeMeterRegistry());
    }

    /** Starts timing one call; the caller reports its end with {@link Call#done}. */
    public Call start(String pluginId, String extensionPoint) {
        return new Call(Timer.start(registry), timers.get(pluginId).get(extensionPoint));
    }

    /** One call being timed. */
    public static final class Call {
        private final Timer.Sample sample;
        private final Timer[] timers;

        private Call(Timer.Sample sample, Timer[] timers) {
            this.sample = sample;
            this.timers = timers;
        }

        public void done(boolean failed) {
            sample.stop(timers[failed ? 1 : 0]);
        }
    }
}
