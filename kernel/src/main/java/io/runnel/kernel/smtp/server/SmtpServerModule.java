package io.runnel.kernel.smtp.server;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;

/** The SMTP listeners. */
public final class SmtpServerModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(SmtpServer.class).in(Singleton.class);
        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
        services.addBinding().to(SmtpServer.class);
    }
}
