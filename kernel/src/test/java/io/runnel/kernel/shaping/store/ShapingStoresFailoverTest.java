package io.runnel.kernel.shaping.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.config.RedisConfig;
import io.runnel.kernel.shaping.ThrottleSpec;
import io.runnel.kernel.shaping.store.ConnectionLeases.Lease;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Redis outage: calls keep answering from the local stores with one warning, and go back to Redis when it is. */
class ShapingStoresFailoverTest {

    private static final ThrottleSpec SHARED = ThrottleSpec.parse("100/h,max_burst=10");

    @TempDir
    Path folder;

    private RedisServerProcess redis;
    private final List<ShapingStores> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        nodes.forEach(n -> n.stop(Duration.ofSeconds(1)));
        if (redis != null) {
            redis.close();
        }
    }

    private ShapingStores node(RedisConfig config) {
        ShapingStores node = new ShapingStores(config, Clock.systemUTC(), new SecureRandom());
        node.start();
        nodes.add(node);
        return node;
    }

    private static int take(ThrottleStore store, String key, int attempts) {
        int taken = 0;
        for (int i = 0; i < attempts; i++) {
            taken += store.tryAcquire(key, SHARED, Instant.now()).isZero() ? 1 : 0;
        }
        return taken;
    }

    @Test
    void redisKilledMidTestFallsBackToLocalWithOneWarningAndComesBackWhenRestarted() throws Exception {
        redis = RedisServerProcess.start(folder);
        RedisConfig config = redis.config("f:", Duration.ofSeconds(3));
        ShapingStores a = node(config);
        ShapingStores b = node(config);
        RedisHealth health = a.redis().orElseThrow();
        assertThat(take(a.throttles(), "k1", 6) + take(b.throttles(), "k1", 6)).isEqualTo(10); // shared

        Lease heldBeforeOutage = a.leases().tryAcquire("site", 3).orElseThrow();
        redis.kill();

        long start = System.nanoTime();
        int local = take(a.throttles(), "k2", 20);
        Optional<Lease> duringOutage = a.leases().tryAcquire("site", 3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(local).isEqualTo(10); // this node's own limit, still held
        assertThat(duringOutage).isPresent();
        assertThat(a.leases().tryAcquire("site", 3)).isPresent();
        assertThat(a.leases().tryAcquire("site", 3)).as("the Redis lease taken before counts too").isEmpty();
        assertThat(health.up()).isFalse();
        assertThat(health.failures()).isGreaterThanOrEqualTo(1);
        assertThat(health.warnings()).isEqualTo(1);
        assertThat(health.fallbacks()).isGreaterThanOrEqualTo(21);

        redis.restart();
        await().atMost(Duration.ofSeconds(5)).until(health::up);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.redis().orElseThrow().up());
        assertThat(take(a.throttles(), "k3", 6) + take(b.throttles(), "k3", 6)).as("shared again").isEqualTo(10);
        // the leases held through the outage count in Redis again: two taken locally, one renewed back in
        assertThat(b.leases().tryAcquire("site", 3)).isEmpty();
        duringOutage.get().release();
        heldBeforeOutage.release();
        await().atMost(Duration.ofSeconds(3)).until(() -> b.leases().tryAcquire("site", 3).isPresent());
        assertThat(health.warnings()).isEqualTo(1);
    }

    @Test
    void aFrozenRedisCostsOneTimeoutThenCallsAnswerLocally() throws Exception {
        redis = RedisServerProcess.start(folder);
        ShapingStores node = node(redis.config("z:", Duration.ofSeconds(3)));
        assertThat(take(node.throttles(), "k", 1)).isEqualTo(1);
        redis.freeze();
        try {
            long start = System.nanoTime();
            assertThat(take(node.throttles(), "k", 50)).isEqualTo(10);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(600));
            assertThat(node.redis().orElseThrow().failures()).isEqualTo(1);
        } finally {
            redis.thaw();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> node.redis().orElseThrow().up());
    }

    @Test
    void aRedisThatIsDownAtStartDoesNotStopTheNode() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        RedisConfig config = new RedisConfig(Optional.of(new RedisConfig.Endpoint("127.0.0.1", port, false, 0,
                Optional.empty(), Optional.empty())), "d:", Duration.ofMillis(100), Duration.ofSeconds(3), Duration.ofMillis(200));
        ShapingStores node = node(config);
        RedisHealth health = node.redis().orElseThrow();
        assertThat(health.up()).isFalse();
        assertThat(health.warnings()).isEqualTo(1);
        assertThat(take(node.throttles(), "k", 15)).isEqualTo(10);
        assertThat(node.leases().tryAcquire("c", 1)).isPresent();
        assertThat(node.leases().tryAcquire("c", 1)).isEmpty();
    }

    @Test
    void withoutRedisTheStoresAreLocal() {
        ShapingStores node = node(RedisConfig.off());
        assertThat(node.throttles()).isInstanceOf(LocalThrottles.class);
        assertThat(node.leases()).isInstanceOf(LocalLeases.class);
        assertThat(node.redis()).isEmpty();
    }
}
