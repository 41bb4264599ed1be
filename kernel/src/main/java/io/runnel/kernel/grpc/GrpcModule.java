package io.runnel.kernel.grpc;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.ConfigReloader;

/** The control plane. ReloadConfig uses the {@link ConfigReloader} when a module provides one. */
public final class GrpcModule extends AbstractModule {
    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), ConfigReloader.class);
        bind(ControlPlane.class).in(Singleton.class);
        bind(QueueGrpcService.class).in(Singleton.class);
        bind(InjectionGrpcService.class).in(Singleton.class);
        bind(AdminGrpcService.class).in(Singleton.class);
        bind(GrpcServer.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(GrpcServer.class);
    }
}
