package io.runnel.kernel.boot;

import java.time.Duration;

/**
 * Lets one log line through per interval for a failure that repeats per message (disk full, spool full): the
 * operator sees the failure and how often it happened, the log does not grow by a line per message while the
 * disk it lives on may be the full one.
 */
public final class LogGate {

    private final long intervalNanos;
    // guarded by this
    private boolean opened;
    private long nextAt;
    private long suppressed;

    public LogGate(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Returns how many calls were held back since the last line when a line may be written now, or -1 when this
     * call is held back (and counted).
     */
    public synchronized long pass() {
        long now = System.nanoTime(); // elapsed time only, for log volume: not a logic clock
        if (opened && now - nextAt < 0) {
            suppressed++;
            return -1;
        }
        opened = true;
        nextAt = now + intervalNanos;
        long held = suppressed;
        suppressed = 0;
        return held;
    }
}
