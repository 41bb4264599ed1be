package io.runnel.kernel.queue;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;

/** The scheduled queues. */
public final class QueueModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(QueueManager.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(QueueManager.class);
    }
}
