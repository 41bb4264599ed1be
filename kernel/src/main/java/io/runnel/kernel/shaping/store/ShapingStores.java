package io.runnel.kernel.shaping.store;

import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.RedisConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The throttle store and connection leases the daemon uses. With {@code [redis]} configured they are shared through
 * Redis, falling back to this node's own while Redis is unreachable; without it they are local. As a service it
 * checks Redis at start (a Redis that is down only logs a warning: delivery runs on local limits), renews leases
 * every third of their ttl, probes an unreachable Redis every {@code probe_interval}, and at stop releases the
 * leases still held and closes the connections.
 */
public final class ShapingStores implements Service {

    private static final Logger log = LoggerFactory.getLogger(ShapingStores.class);

    private final RedisConfig config;
    private final LocalThrottles localThrottles = new LocalThrottles();
    private final LocalLeases localLeases = new LocalLeases();
    private final Optional<Shared> shared;
    private ScheduledExecutorService timer;

    /** The Redis-backed side, present when {@code [redis]} is configured. */
    private record Shared(RedisLink link, RedisHealth health, SharedThrottles throttles, SharedLeases leases,
                          SharedNotices notices) {
    }

    public ShapingStores(RedisConfig config, Clock clock, RandomGenerator random) {
        this.config = config;
        this.shared = config.endpoint().map(endpoint -> {
            RedisLink link = new RedisLink(endpoint, config.timeout());
            RedisHealth health = new RedisHealth(endpoint.toString(), clock);
            String node = HexFormat.of().toHexDigits(random.nextLong()); // lease ids: unique per node and run
            return new Shared(link, health,
                    new SharedThrottles(new RedisThrottles(link, config.keyPrefix()), localThrottles, health),
                    new SharedLeases(new RedisLeases(link, config.keyPrefix(), config.leaseTtl()), health, node),
                    new SharedNotices(link, health, config.keyPrefix()));
        });
    }

    public ThrottleStore throttles() {
        return shared.<ThrottleStore>map(Shared::throttles).orElse(localThrottles);
    }

    public ConnectionLeases leases() {
        return shared.<ConnectionLeases>map(Shared::leases).orElse(localLeases);
    }

    /** Notices shared with the other nodes; empty without {@code [redis]}. */
    public Optional<SharedNotices> notices() {
        return shared.map(Shared::notices);
    }

    /** Redis's state and failure counts; empty without {@code [redis]}. */
    public Optional<RedisHealth> redis() {
        return shared.map(Shared::health);
    }

    @Override
    public int phase() {
        return Phases.SHAPING_STORES;
    }

    @Override
    public String name() {
        return "shaping-stores";
    }

    @Override
    public synchronized void start() {
        if (shared.isEmpty()) {
            return;
        }
        Shared s = shared.get();
        probe(s);
        if (s.health().up()) {
            log.atInfo().addKeyValue("redis", s.link()).log("throttles and connection limits are shared through redis");
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "redis-shaping");
            thread.setDaemon(true);
            return thread;
        });
        long renew = config.leaseTtl().toMillis() / 3;
        timer.scheduleWithFixedDelay(s.leases()::renewAll, renew, renew, TimeUnit.MILLISECONDS);
        long probe = config.probeInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            if (!s.health().up()) {
                probe(s);
            }
        }, probe, probe, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop(Duration grace) {
        if (shared.isEmpty()) {
            return;
        }
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        shared.get().leases().releaseAll();
        shared.get().link().close();
    }

    /** Up again only once the leases taken meanwhile are in Redis, so no other node admits past them. */
    private static void probe(Shared s) {
        try {
            s.link().ping();
            s.leases().renewAllOrThrow();
            s.health().recovered();
        } catch (RedisUnavailableException e) {
            s.health().failed(e);
        }
    }
}
