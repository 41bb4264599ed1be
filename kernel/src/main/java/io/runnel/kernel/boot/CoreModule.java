package io.runnel.kernel.boot;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.runnel.kernel.config.ConfigFile;
import io.runnel.kernel.config.LogConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.config.ServerConfig;
import io.runnel.kernel.config.SpoolConfig;
import io.runnel.kernel.spool.SpoolId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** The validated configuration, the injected sources of time and randomness, and the shared event loops. */
final class CoreModule extends AbstractModule {

    private final RunnelConfig config;
    private final ConfigFile file;
    private final Clock clock;

    CoreModule(RunnelConfig config, ConfigFile file, Clock clock) {
        this.config = config;
        this.file = file;
        this.clock = clock;
    }

    @Override
    protected void configure() {
        bind(RunnelConfig.class).toInstance(config); // as started; live parts are read from LiveConfig
        bind(ConfigFile.class).toInstance(file);
        bind(Clock.class).toInstance(clock);
        bind(EventLoops.class).in(Singleton.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(EventLoops.class);
    }

    @Provides
    ServerConfig serverConfig() {
        return config.server();
    }

    @Provides
    SpoolConfig spoolConfig() {
        return config.spool();
    }

    @Provides
    LogConfig logConfig() {
        return config.log();
    }

    @Provides
    @Singleton
    RandomGenerator random() {
        return new SecureRandom();
    }

    /** Spool ids need uniqueness, not secrecy: a fast generator seeded once from the secure one. */
    @Provides
    @Singleton
    SpoolId.Factory spoolIds(Clock clock, RandomGenerator random) {
        return new SpoolId.Factory(clock, RandomGeneratorFactory.of("L64X128MixRandom").create(random.nextLong()));
    }
}
