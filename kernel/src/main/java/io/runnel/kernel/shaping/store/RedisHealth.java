package io.runnel.kernel.shaping.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis is usable now. The first failure turns it down with one warning; while down, calls go straight to
 * the local stores (no waiting on a dead server) and the warning repeats at most once per {@link #REPEAT_WARNING}
 * with the count; a successful probe turns it up again.
 */
public final class RedisHealth {

    static final Duration REPEAT_WARNING = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(RedisHealth.class);

    private final String endpoint;
    private final Clock clock;
    private final AtomicBoolean up = new AtomicBoolean(true);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong warnings = new AtomicLong();
    private volatile Instant lastWarning = Instant.MIN;

    public RedisHealth(String endpoint, Clock clock) {
        this.endpoint = endpoint;
        this.clock = clock;
    }

    public boolean up() {
        return up.get();
    }

    /** A Redis call failed: from now on calls are answered locally until a probe succeeds. */
    void failed(RedisUnavailableException e) {
        long count = failures.incrementAndGet();
        Instant now = clock.instant();
        if (up.compareAndSet(true, false)) {
            warn(now, e, "redis unreachable; throttles and connection limits fall back to this node's own until it answers");
        } else if (Duration.between(lastWarning, now).compareTo(REPEAT_WARNING) >= 0) {
            warn(now, e, "redis still unreachable; throttles and connection limits are this node's own (" + count + " failures)");
        }
    }

    /** A probe got an answer. */
    void recovered() {
        if (up.compareAndSet(false, true)) {
            log.atInfo().addKeyValue("redis", endpoint).log("redis answers again; throttles and connection limits are shared again");
        }
    }

    /** A call was answered from the local store because Redis was down or failed. */
    void fellBack() {
        fallbacks.incrementAndGet();
    }

    /** Redis calls that failed (refused, timed out, or refused by Redis). */
    public long failures() {
        return failures.get();
    }

    /** Calls answered locally because Redis was unusable. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Warnings logged about Redis being unreachable. */
    public long warnings() {
        return warnings.get();
    }

    private void warn(Instant now, RedisUnavailableException e, String message) {
        lastWarning = now;
        warnings.incrementAndGet();
        log.atWarn().addKeyValue("redis", endpoint).addKeyValue("reason", e.getMessage()).log(message);
    }
}
