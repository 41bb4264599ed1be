package io.runnel.kernel.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;

/** The plugin host and the guarded-call pool. Binding only: jars are read in {@link PluginHost#start()}. */
public final class PluginModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(PluginInvoker.class).in(Singleton.class);
        bind(PluginHost.class).in(Singleton.class);
        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
        services.addBinding().to(PluginInvoker.class);
        services.addBinding().to(PluginHost.class);
    }
}
