package io.runnel.kernel.spool;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;

/** The LMDB spool, the start-up scan that hands spooled messages back on, and the wait for it before listening. */
public final class SpoolModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(LmdbSpool.class).in(Singleton.class);
        bind(Spool.class).to(LmdbSpool.class);
        bind(SpoolRecovery.class).in(Singleton.class);
        bind(RecoveryBarrier.class).in(Singleton.class);
        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
        services.addBinding().to(LmdbSpool.class);
        services.addBinding().to(SpoolRecovery.class);
        services.addBinding().to(RecoveryBarrier.class);
    }
}
