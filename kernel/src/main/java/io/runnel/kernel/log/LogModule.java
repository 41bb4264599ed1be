package io.runnel.kernel.log;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;

/**
 * The delivery log (one writer thread, started before anything that logs and stopped after it) and the shippers
 * that feed log sink plugins from its journal.
 */
public final class LogModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(JournalSignal.class).in(Singleton.class);
        bind(DeliveryLog.class).in(Singleton.class);
        bind(LogShipping.class).in(Singleton.class);
        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
        services.addBinding().to(DeliveryLog.class);
        services.addBinding().to(LogShipping.class);
    }
}
