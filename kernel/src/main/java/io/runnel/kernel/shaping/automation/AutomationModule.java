package io.runnel.kernel.shaping.automation;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.runnel.kernel.boot.Service;

/**
 * Traffic-shaping automation: the engine, the persisted shaping overrides, and the rules per path (none until the
 * shaping loader binds its {@link AutomationRulesFor} with {@code OptionalBinder...setBinding()}).
 */
public final class AutomationModule extends AbstractModule {
    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), AutomationRulesFor.class).setDefault().toInstance(AutomationRulesFor.NONE);
        bind(ShapingOverrides.class).in(Singleton.class);
        bind(Automation.class).in(Singleton.class);
        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
        services.addBinding().to(ShapingOverrides.class);
        services.addBinding().to(SharedAutomation.class);
    }
}
