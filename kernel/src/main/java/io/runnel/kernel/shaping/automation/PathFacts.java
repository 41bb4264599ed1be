package io.runnel.kernel.shaping.automation;

import java.util.Objects;
import java.util.Optional;

/**
 * The delivery path a reply came back on: egress source to site, and the queue the attempted mail came from.
 *
 * @param source   the egress source's name
 * @param site     the ready-queue site (sorted MX host set, or {@code route:...})
 * @param tenant   the mail's tenant, if any
 * @param campaign the mail's campaign, if any
 * @param domain   the recipient domain
 */
public record PathFacts(String source, String site, Optional<String> tenant, Optional<String> campaign, String domain) {
    public PathFacts {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(domain, "domain");
    }
}
