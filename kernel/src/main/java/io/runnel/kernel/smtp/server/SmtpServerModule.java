package io.runnel.kernel.smtp.server;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.ReloadStep;
import io.runnel.kernel.tls.ListenerCertificates;

/** The SMTP listeners, and their certificates as part of a reload. */
public final class SmtpServerModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(SmtpServer.class).in(Singleton.class);
        Multibinder<Service> services = Multibinder.newSetBinder(binder(), Service.class);
        services.addBinding().to(SmtpServer.class);
        bind(ListenerCertificates.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), ReloadStep.class).addBinding().to(ListenerCertificates.class);
    }
}
