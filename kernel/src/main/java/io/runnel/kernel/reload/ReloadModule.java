package io.runnel.kernel.reload;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.ReloadStep;
import io.runnel.kernel.rules.RuleEngine;

/** The live configuration, the rules, and the reloader (file watch, SIGHUP, the control plane). */
public final class ReloadModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(LiveConfig.class).in(Singleton.class);
        bind(RuleEngine.class).in(Singleton.class);
        bind(FileReloader.class).in(Singleton.class);
        // the default: a test (or embedder) may set its own binding on the same optional binder
        OptionalBinder.newOptionalBinder(binder(), ConfigReloader.class).setDefault().to(FileReloader.class);
        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
        services.addBinding().to(RuleEngine.class);
        services.addBinding().to(FileReloader.class);
        Multibinder.newSetBinder(binder(), ReloadStep.class); // other modules add what else a reload re-reads
    }
}
