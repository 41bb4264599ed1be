package io.runnel.kernel.dns;

import java.util.List;
import java.util.Objects;

/**
 * The hosts to try for a domain, in order, and the site they make up.
 *
 * @param site  the ready-queue key: the sorted, comma-joined MX host set ({@code "mx1.example.com,mx2.example.com"}),
 *              so every domain one provider hosts shares one queue and its limits; the domain itself when it has no
 *              MX; {@code "route:" + hosts} for a configured route
 * @param hosts the hosts in the order to try them
 */
public record DeliveryPlan(String site, List<HostCandidate> hosts) implements PlanResult {

    /** The start of a configured route's site name. */
    public static final String ROUTE_PREFIX = "route:";

    public DeliveryPlan {
        Objects.requireNonNull(site, "site");
        hosts = List.copyOf(hosts);
        if (site.isEmpty() || hosts.isEmpty()) {
            throw new IllegalArgumentException("a delivery plan needs a site and at least one host");
        }
    }

    /** True for a configured route (its hosts carry their own ports). */
    public boolean routed() {
        return site.startsWith(ROUTE_PREFIX);
    }
}
