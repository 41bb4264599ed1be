package io.runnel.kernel.shaping.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.kernel.config.RedisConfig;
import io.runnel.kernel.shaping.store.ConnectionLeases.Lease;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** Connection leases on a real redis-server: one limit for every node, and a node that dies frees its slots. */
class RedisLeasesTest {

    private static final Duration TTL = Duration.ofSeconds(1);

    @TempDir
    static Path folder;
    static RedisServerProcess redis;
    static JedisPooled inspect;

    private final List<ShapingStores> nodes = new ArrayList<>();
    private final String prefix = "l" + System.nanoTime() + ":";

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

    /** A node as the daemon runs it: started, so it renews its leases every third of the ttl. */
    private ShapingStores node() {
        ShapingStores node = unstarted();
        node.start();
        return node;
    }

    /** A node that never renews: what is left in Redis of a node killed with -9. */
    private ShapingStores unstarted() {
        RedisConfig config = redis.config(prefix, TTL);
        ShapingStores node = new ShapingStores(config, Clock.systemUTC(), new SecureRandom());
        nodes.add(node);
        return node;
    }

    @Test
    void combinedConnectionsAcrossTwoNodesNeverExceedTheLimit() throws Exception {
        ConnectionLeases a = node().leases();
        ConnectionLeases b = node().leases();
        List<Lease> held = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> attempts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ConnectionLeases node = i % 2 == 0 ? a : b;
                attempts.add(() -> {
                    node.tryAcquire("site:mx.example", 6).ifPresent(held::add);
                    return null;
                });
            }
            for (Future<Void> f : threads.invokeAll(attempts)) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        assertThat(held).hasSize(6);
        assertThat(inspect.zcard(prefix + "conn:site:mx.example")).isEqualTo(6);

        held.get(0).release();
        held.get(0).release(); // twice is once
        held.get(1).release();
        assertThat(b.tryAcquire("site:mx.example", 6)).isPresent();
        assertThat(a.tryAcquire("site:mx.example", 6)).isPresent();
        assertThat(a.tryAcquire("site:mx.example", 6)).isEmpty();
        assertThat(a.tryAcquire("site:other.example", 6)).isPresent(); // another limit, another count
    }

    @Test
    void aNodeThatStopsRenewingLosesItsLeasesAfterTheTtlWhileLiveLeasesStay() {
        ConnectionLeases dead = unstarted().leases();
        ConnectionLeases alive = node().leases();
        long start = System.nanoTime();
        assertThat(dead.tryAcquire("pool", 3)).isPresent();
        assertThat(dead.tryAcquire("pool", 3)).isPresent();
        Optional<Lease> kept = alive.tryAcquire("pool", 3);
        assertThat(kept).isPresent();
        assertThat(alive.tryAcquire("pool", 3)).isEmpty();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> alive.tryAcquire("pool", 3).isPresent());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TTL);
        assertThat(alive.tryAcquire("pool", 3)).isPresent(); // both dead leases are gone...
        assertThat(alive.tryAcquire("pool", 3)).isEmpty(); // ...and the renewed one still counts, ttls later
    }

    @Test
    void aStoppedNodeReleasesItsLeasesAtOnce() {
        ShapingStores leaving = node();
        ConnectionLeases other = node().leases();
        assertThat(leaving.leases().tryAcquire("drain", 2)).isPresent();
        assertThat(leaving.leases().tryAcquire("drain", 2)).isPresent();
        assertThat(other.tryAcquire("drain", 2)).isEmpty();
        leaving.stop(Duration.ofSeconds(1));
        assertThat(other.tryAcquire("drain", 2)).isPresent();
    }

    @Test
    void aLimitNobodyUsesLeavesNoKeyBehind() {
        Lease lease = node().leases().tryAcquire("gone", 1).orElseThrow();
        assertThat(inspect.pttl(prefix + "conn:gone")).isBetween(1L, TTL.toMillis());
        lease.release();
        assertThat(inspect.exists(prefix + "conn:gone")).isFalse();
    }
}
