package io.runnel.kernel.shaping.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** Connection limits counted on this node only. Holds one counter per key with live leases, nothing more. */
public final class LocalLeases implements ConnectionLeases {

    private final Map<String, Integer> held = new HashMap<>();

    @Override
    public synchronized Optional<Lease> tryAcquire(String key, int limit) {
        int now = held.getOrDefault(key, 0);
        if (now >= limit) {
            return Optional.empty();
        }
        held.put(key, now + 1);
        return Optional.of(new LocalLease(key));
    }

    /** Leases of {@code key} held now. */
    public synchronized int held(String key) {
        return held.getOrDefault(key, 0);
    }

    private synchronized void release(String key) {
        held.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
    }

    private final class LocalLease implements Lease {

        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        LocalLease(String key) {
            this.key = key;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                LocalLeases.this.release(key);
            }
        }
    }
}
