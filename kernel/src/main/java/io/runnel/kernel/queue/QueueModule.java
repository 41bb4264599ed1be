package io.runnel.kernel.queue;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;

/** The scheduled queues. */
public final class QueueModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(QueueManager.class).in(Singleton.class);
    }
}
