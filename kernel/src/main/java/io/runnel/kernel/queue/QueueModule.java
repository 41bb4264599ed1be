package io.runnel.kernel.queue;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;

/** The scheduled queues and the operator's suspensions and bounces. */
public final class QueueModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(QueueManager.class).in(Singleton.class);
        bind(Suspensions.class).in(Singleton.class);
        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
        services.addBinding().to(QueueManager.class);
        services.addBinding().to(Suspensions.class);
    }
}
