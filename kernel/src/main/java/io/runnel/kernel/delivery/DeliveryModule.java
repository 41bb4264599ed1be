package io.runnel.kernel.delivery;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.runnel.kernel.shaping.automation.AutomationRulesFor;
import io.runnel.kernel.boot.Service;
import java.time.Clock;

/** Delivery: ready queues, outbound connections, outcomes and bounces. */
public final class DeliveryModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(Connector.class).in(Singleton.class);
        bind(LimitsOverride.class).to(RuleLimits.class).in(Singleton.class);
        // the shaping files' automation entries, for the automation engine
        OptionalBinder.newOptionalBinder(binder(), AutomationRulesFor.class).setBinding().to(PathShaping.class);
        bind(DeliveryEngine.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(DeliveryEngine.class);
    }

    @Provides
    @Singleton
    DsnComposer dsnComposer(Clock clock) {
        return new DsnComposer(clock, DsnComposer.DEFAULT_FULL_RETURN_LIMIT);
    }
}
