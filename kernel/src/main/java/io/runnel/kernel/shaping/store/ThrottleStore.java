package io.runnel.kernel.shaping.store;

import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * GCRA throttles by name. Each key is one limiter; callers build keys that say what is limited (for example
 * {@code "msg:tenant-a:gmail.com"}). Thread-safe. A shared store makes one network round trip per call, bounded by
 * {@code [redis] timeout} (then it answers from this node's limits), so call it where waiting that long is acceptable.
 */
public interface ThrottleStore {

    /**
     * Takes one cell of {@code key} if {@code spec} allows it now.
     *
     * @param now the caller's time (its injected clock); a shared store uses its server's time instead, so nodes
     *            whose clocks differ agree
     * @return {@link Duration#ZERO} when allowed and counted; otherwise how long until a cell is allowed (nothing counted)
     */
    Duration tryAcquire(String key, ThrottleSpec spec, Instant now);

    /** How long until {@code key} allows a cell ({@link Duration#ZERO}: now), without taking one. */
    Duration waitAt(String key, ThrottleSpec spec, Instant now);
}
