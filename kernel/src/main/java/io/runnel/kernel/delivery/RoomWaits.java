package io.runnel.kernel.delivery;

import io.runnel.kernel.spool.SpoolId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Messages a full ready queue sent back to their scheduled queue, counted while each keeps meeting a full queue: every
 * wait is longer than the last (1-10 s, then 2-20 s, up to 6-60 s), and only the first of a run is worth a Delayed
 * record. A provider that stalls for an hour then does not re-queue and log its whole backlog every few seconds.
 * Confined to the delivery state thread.
 */
final class RoomWaits {

    private static final long FIRST_CEILING_MILLIS = 10_000;
    private static final long MAX_CEILING_MILLIS = 60_000;

    private final Map<SpoolId, Integer> misses = new HashMap<>();
    private final RandomGenerator random;

    RoomWaits(RandomGenerator random) {
        this.random = random;
    }

    /** One more miss for {@code id}; returns how many in a row, the first being 1. */
    int miss(SpoolId id) {
        return misses.merge(id, 1, Integer::sum);
    }

    /** How long to wait after {@code inARow} misses: between a tenth of the ceiling and the ceiling, at random. */
    Duration waitAfter(int inARow) {
        long ceiling = Math.min(MAX_CEILING_MILLIS, FIRST_CEILING_MILLIS << Math.min(inARow - 1, 8));
        return Duration.ofMillis(ceiling / 10 + random.nextLong(ceiling - ceiling / 10 + 1));
    }

    /** The message got into a ready queue, or left the spool: a later miss starts a new run. */
    void done(SpoolId id) {
        misses.remove(id);
    }
}
