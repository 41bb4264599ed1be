package io.runnel.kernel.spool;

import io.runnel.kernel.boot.Service;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Holds the start of the control plane and the listeners until {@link SpoolRecovery} has put every spooled message
 * back in its queues: a queue summary or a new message never meets a half-read spool, while delivery, started
 * earlier, already sends what is back.
 */
public final class RecoveryBarrier implements Service {

    private final SpoolRecovery recovery;

    @Inject
    public RecoveryBarrier(SpoolRecovery recovery) {
        this.recovery = recovery;
    }

    @Override
    public int phase() {
        return Phases.RECOVERED;
    }

    @Override
    public String name() {
        return "spool-recovered";
    }

    @Override
    public void start() throws SpoolException {
        recovery.awaitRecovered();
    }

    @Override
    public void stop(Duration grace) {
        // nothing held
    }
}
