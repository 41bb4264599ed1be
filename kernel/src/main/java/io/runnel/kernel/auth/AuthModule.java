package io.runnel.kernel.auth;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;

/** SMTP AUTH credential checks. */
public final class AuthModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(CredentialVerifier.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(CredentialVerifier.class);
    }
}
