package io.runnel.api.shaping;

import java.time.Instant;
import org.pf4j.ExtensionPoint;

/**
 * Decides how fast to send to a destination (adaptive backoff, provider-specific limits). Called by the delivery
 * scheduler often and possibly concurrently for different sites: it must be fast, thread-safe and must not block
 * (no I/O). {@code now} comes from the kernel's clock; use it instead of reading the system clock. An exception or a
 * missed deadline falls back to the kernel's static limits.
 *
 * @since API 1.0
 */
public interface ShapingStrategy extends ExtensionPoint {

    ShapingDecision decide(DestinationState state, Instant now) throws Exception;
}
