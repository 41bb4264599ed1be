package io.runnel.kernel.shaping.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Guice bindings delivery uses, from runnel.toml's [redis] table. */
class ShapingStoreModuleTest {

    @TempDir
    Path home;

    private Injector injector(String toml) throws Exception {
        Path file = home.resolve("conf/runnel.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml);
        RunnelConfig config = new ConfigLoader(home).load(file);
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(RunnelConfig.class).toInstance(config);
                bind(Clock.class).toInstance(Clock.systemUTC());
                bind(RandomGenerator.class).toInstance(new SecureRandom());
            }
        }, new ShapingStoreModule());
    }

    @Test
    void withoutRedisTheBindingsAreLocalSingletons() throws Exception {
        Injector injector = injector("");
        assertThat(injector.getInstance(ThrottleStore.class)).isInstanceOf(LocalThrottles.class)
                .isSameAs(injector.getInstance(ThrottleStore.class));
        assertThat(injector.getInstance(ConnectionLeases.class)).isInstanceOf(LocalLeases.class)
                .isSameAs(injector.getInstance(ConnectionLeases.class));
        assertThat(injector.getInstance(Key.get(new TypeLiteral<Set<Service>>() {})))
                .containsExactly(injector.getInstance(ShapingStores.class));
    }

    @Test
    void withRedisTheBindingsAreSharedAndTheServiceConnectsAtStart() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(home.resolve("redis")))) {
            Injector injector = injector("[redis]\nurl = \"" + redis.url() + "\"\nkey_prefix = \"wired:\"\n");
            ShapingStores stores = injector.getInstance(ShapingStores.class);
            stores.start();
            try {
                assertThat(injector.getInstance(ThrottleStore.class)).isInstanceOf(SharedThrottles.class);
                assertThat(injector.getInstance(ConnectionLeases.class)).isInstanceOf(SharedLeases.class);
                ThrottleSpec spec = ThrottleSpec.parse("1/h");
                assertThat(injector.getInstance(ThrottleStore.class).tryAcquire("k", spec, Instant.now())).isZero();
                assertThat(stores.redis().orElseThrow().up()).isTrue();
                assertThat(stores.redis().orElseThrow().failures()).isZero();
            } finally {
                stores.stop(Duration.ofSeconds(1));
            }
        }
    }
}
