package io.runnel.kernel.grpc;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the daemon still takes new mail: Drain turns it off for good (until restart). */
@Singleton
final class Intake {

    private final AtomicBoolean draining = new AtomicBoolean();

    /** True the first time only. */
    boolean drain() {
        return draining.compareAndSet(false, true);
    }

    boolean draining() {
        return draining.get();
    }
}
