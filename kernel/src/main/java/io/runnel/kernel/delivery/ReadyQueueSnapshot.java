package io.runnel.kernel.delivery;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One ready queue at one moment.
 *
 * @param source          egress source name
 * @param site            the site (MX host set) it delivers to
 * @param waiting         messages waiting for a connection
 * @param connections     connections open for it, sending or parked
 * @param waitingByTenant {@code waiting} split by tenant (empty: mail without one)
 */
public record ReadyQueueSnapshot(String source, String site, int waiting, int connections,
                                 Map<Optional<String>, Integer> waitingByTenant) {

    public ReadyQueueSnapshot {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(site, "site");
        waitingByTenant = Map.copyOf(waitingByTenant);
    }
}
