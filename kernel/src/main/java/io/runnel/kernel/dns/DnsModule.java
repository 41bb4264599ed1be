package io.runnel.kernel.dns;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.api.dns.DnsResolver;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.DnsConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.reload.LiveConfig;

/** The resolver (shared with plugins) and the domain-to-hosts planning on top of it. */
public final class DnsModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(NettyDnsResolver.class).in(Singleton.class);
        bind(DnsResolver.class).to(NettyDnsResolver.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(NettyDnsResolver.class);
    }

    @Provides
    @Singleton
    Destinations destinations(DnsResolver dns, LiveConfig live) {
        return new Destinations(dns, new LiveRoutes(live), () -> live.current().config().delivery().limits().smtpPort());
    }

    @Provides
    DnsConfig dnsConfig(RunnelConfig config) {
        return config.dns();
    }
}
