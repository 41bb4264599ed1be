package io.runnel.kernel.metrics;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.MetricsConfig;
import io.runnel.kernel.config.RunnelConfig;

/** The meter registry every subsystem's recorder writes to, and the endpoint that serves it. */
public final class MetricsModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(MetricsEndpoint.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(MetricsEndpoint.class);
    }

    /** One registry per kernel (never Micrometer's global one), so two kernels in one JVM count apart. */
    @Provides
    @Singleton
    PrometheusMeterRegistry prometheus() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Provides
    MeterRegistry registry(PrometheusMeterRegistry prometheus) {
        return prometheus;
    }

    @Provides
    MetricsConfig metricsConfig(RunnelConfig config) {
        return config.metrics();
    }
}
