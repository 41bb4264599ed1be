package io.runnel.kernel.shaping.store;

import java.util.Optional;

/**
 * Named connection limits ({@code connection_limit}, {@code provider_connection_limit},
 * {@code additional_connection_limits}): one lease per open connection. Thread-safe; a shared store's call is one
 * network round trip bounded by {@code [redis] timeout}.
 */
public interface ConnectionLeases {

    /**
     * Takes a lease on {@code key} if fewer than {@code limit} are held (across every node sharing the store).
     *
     * @return the lease, to {@link Lease#release() release} when the connection closes; empty when the limit is reached
     */
    Optional<Lease> tryAcquire(String key, int limit);

    /** One held connection slot. */
    interface Lease {

        /** The limit this lease counts against. */
        String key();

        /** Gives the slot back; later calls do nothing. */
        void release();
    }
}
