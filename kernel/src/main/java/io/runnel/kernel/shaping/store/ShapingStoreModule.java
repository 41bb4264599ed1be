package io.runnel.kernel.shaping.store;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.RedisConfig;
import io.runnel.kernel.config.RunnelConfig;
import java.time.Clock;
import java.util.random.RandomGenerator;

/** The throttle store and connection leases: shared through Redis when {@code [redis]} is configured, local otherwise. */
public final class ShapingStoreModule extends AbstractModule {

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(ShapingStores.class);
    }

    /** Builds the clients only; connecting happens in {@link ShapingStores#start()}. */
    @Provides
    @Singleton
    ShapingStores stores(RedisConfig config, Clock clock, RandomGenerator random) {
        return new ShapingStores(config, clock, random);
    }

    @Provides
    @Singleton
    ThrottleStore throttles(ShapingStores stores) {
        return stores.throttles();
    }

    @Provides
    @Singleton
    ConnectionLeases leases(ShapingStores stores) {
        return stores.leases();
    }

    @Provides
    RedisConfig redisConfig(RunnelConfig config) {
        return config.redis();
    }
}
