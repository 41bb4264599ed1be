package io.runnel.kernel.log;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;

/** The delivery log: one writer thread, started before anything that logs and stopped after it. */
public final class LogModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(DeliveryLog.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(DeliveryLog.class);
    }
}
