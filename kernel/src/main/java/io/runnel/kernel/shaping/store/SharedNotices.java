package io.runnel.kernel.shaping.store;

import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Short texts every node sharing one Redis should know until they expire (automation's actions): one sorted set,
 * {@code <prefix>notices}, each text scored by its expiry. A failed call loses nothing on this node: the caller
 * has applied the action locally already, and other nodes learn it from the next notice or their own replies.
 */
public final class SharedNotices {

    private static final Logger log = LoggerFactory.getLogger(SharedNotices.class);

    private final RedisLink link;
    private final RedisHealth health;
    private final String key;

    SharedNotices(RedisLink link, RedisHealth health, String keyPrefix) {
        this.link = link;
        this.health = health;
        this.key = keyPrefix + "notices";
    }

    public void publish(String notice, Instant expiresAt) {
        if (!health.up()) {
            return;
        }
        try {
            link.zadd(key, expiresAt.toEpochMilli(), notice);
        } catch (RedisUnavailableException e) {
            health.failed(e);
            log.atWarn().setCause(e).log("automation action not shared with the other nodes");
        }
    }

    /** The notices not yet expired at {@code now} (expired ones are dropped); empty while Redis is unreachable. */
    public List<String> current(Instant now) {
        if (!health.up()) {
            return List.of();
        }
        try {
            return link.zdropAndRange(key, now.toEpochMilli());
        } catch (RedisUnavailableException e) {
            health.failed(e);
            return List.of();
        }
    }
}
