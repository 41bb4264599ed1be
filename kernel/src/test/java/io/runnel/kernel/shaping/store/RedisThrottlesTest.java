package io.runnel.kernel.shaping.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.runnel.kernel.config.RedisConfig;
import io.runnel.kernel.shaping.Gcra;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** The Lua GCRA on a real redis-server: the same answers as the local one, one limit for every node. */
class RedisThrottlesTest {

    @TempDir
    static Path folder;
    static RedisServerProcess redis;
    static JedisPooled inspect;

    private final List<ShapingStores> nodes = new ArrayList<>();
    private final String prefix = "t" + System.nanoTime() + ":";

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start(folder);
        inspect = new JedisPooled("127.0.0.1", redis.port());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        inspect.close();
        redis.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(n -> n.stop(Duration.ofSeconds(1)));
    }

    private ShapingStores node(RedisConfig config) {
        ShapingStores node = new ShapingStores(config, Clock.systemUTC(), new SecureRandom());
        node.start();
        nodes.add(node);
        return node;
    }

    private ShapingStores node() {
        return node(redis.config(prefix, Duration.ofSeconds(30)));
    }

    @Test
    void luaGcraAnswersAsTheLocalGcraDoesForASequenceOfCalls() {
        ThrottleSpec spec = ThrottleSpec.parse("6/min,max_burst=4"); // one cell every 10s: no cell frees up during the test
        ShapingStores node = node();
        ThrottleStore shared = node.throttles();
        Gcra local = new Gcra(spec);
        Instant now = Instant.now();
        for (int i = 0; i < 7; i++) {
            Duration redisWait = shared.tryAcquire("seq", spec, now);
            Duration localWait = local.tryAcquire(now);
            assertThat(redisWait.isZero()).as("call %d", i).isEqualTo(localWait.isZero());
            // the local limiter's time stands still; Redis's moves on a little between calls
            assertThat(redisWait.toMillis()).as("call %d", i).isCloseTo(localWait.toMillis(), within(500L));
        }
        assertThat(shared.waitAt("seq", spec, now).toMillis()).isCloseTo(local.waitAt(now).toMillis(), within(500L));
        assertThat(node.redis().orElseThrow().failures()).isZero();
    }

    @Test
    void rateIsHeldWithinTenPercentOverABurstOfAttempts() {
        ThrottleSpec spec = ThrottleSpec.parse("200/s,max_burst=20");
        ThrottleStore shared = node().throttles();
        Gcra local = new Gcra(spec);
        Clock clock = Clock.systemUTC();
        Instant start = clock.instant();
        long redisTaken = 0;
        long localTaken = 0;
        while (Duration.between(start, clock.instant()).toMillis() < 1000) {
            redisTaken += shared.tryAcquire("rate", spec, clock.instant()).isZero() ? 1 : 0;
            localTaken += local.tryAcquire(clock.instant()).isZero() ? 1 : 0;
        }
        double elapsed = Duration.between(start, clock.instant()).toNanos() / 1e9;
        double expected = 20 + 200 * elapsed;
        assertThat((double) redisTaken).isCloseTo(expected, within(expected * 0.1));
        assertThat((double) redisTaken).isCloseTo(localTaken, within(localTaken * 0.1));
    }

    @Test
    void twoNodesShareOneLimitEvenWithSkewedClocks() {
        ThrottleSpec spec = ThrottleSpec.parse("100/h,max_burst=20");
        ThrottleStore a = node().throttles();
        ThrottleStore b = node().throttles();
        Instant now = Instant.now();
        Instant anHourAhead = now.plus(Duration.ofHours(1)); // node b's clock is wrong: Redis's time decides
        int taken = 0;
        for (int i = 0; i < 30; i++) {
            taken += a.tryAcquire("tenant:acme", spec, now).isZero() ? 1 : 0;
            taken += b.tryAcquire("tenant:acme", spec, anHourAhead).isZero() ? 1 : 0;
        }
        assertThat(taken).isEqualTo(20);
    }

    @Test
    void idleKeysExpireAfterTheirWindowInRedis() {
        ThrottleSpec spec = ThrottleSpec.parse("5/min");
        node().throttles().tryAcquire("ttl", spec, Instant.now());
        long ttl = inspect.pttl(prefix + "throttle:ttl");
        assertThat(ttl).isBetween(10_000L, 12_001L); // one cell: 12s until the limiter is as new
    }

    @Test
    void waitAtCountsNothing() {
        ThrottleSpec spec = ThrottleSpec.parse("1/min");
        ThrottleStore shared = node().throttles();
        Instant now = Instant.now();
        assertThat(shared.waitAt("look", spec, now)).isZero();
        assertThat(shared.waitAt("look", spec, now)).isZero();
        assertThat(shared.tryAcquire("look", spec, now)).isZero();
        assertThat(shared.waitAt("look", spec, now)).isPositive();
        assertThat(shared.tryAcquire("look", spec, now)).isPositive();
    }

    @Test
    void aFlushedScriptCacheIsRefilledWithEval() {
        ThrottleSpec spec = ThrottleSpec.parse("10/min");
        ShapingStores node = node();
        assertThat(node.throttles().tryAcquire("flush", spec, Instant.now())).isZero();
        inspect.scriptFlush();
        assertThat(node.throttles().tryAcquire("flush", spec, Instant.now())).isZero();
        assertThat(inspect.get(prefix + "throttle:flush")).isNotNull();
        assertThat(node.redis().orElseThrow().failures()).isZero();
    }

    @Test
    void localSpecsNeverReachRedis() {
        ThrottleSpec spec = ThrottleSpec.parse("local:3/min");
        ThrottleStore a = node().throttles();
        ThrottleStore b = node().throttles();
        Instant now = Instant.now();
        int taken = 0;
        for (int i = 0; i < 5; i++) {
            taken += a.tryAcquire("mine", spec, now).isZero() ? 1 : 0;
            taken += b.tryAcquire("mine", spec, now).isZero() ? 1 : 0;
        }
        assertThat(taken).isEqualTo(6); // each node its own 3
        assertThat(inspect.exists(prefix + "throttle:mine")).isFalse();
    }
}
