package io.runnel.kernel.queue;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A scheduled queue's identity, written {@code campaign:tenant@domain}; missing parts are dropped
 * ({@code tenant@domain}, {@code campaign:domain}, {@code domain}), as KumoMTA names its queues.
 */
public record QueueName(Optional<String> campaign, Optional<String> tenant, String domain) {

    public QueueName {
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(domain, "domain");
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("a queue needs a domain");
        }
        domain = domain.toLowerCase(Locale.ROOT);
        campaign.ifPresent(c -> requireClean(c, "campaign", ":@"));
        tenant.ifPresent(t -> requireClean(t, "tenant", "@"));
    }

    /** Parses the written form; the inverse of {@link #toString()}. */
    public static QueueName parse(String text) {
        int colon = text.indexOf(':');
        Optional<String> campaign = colon > 0 ? Optional.of(text.substring(0, colon)) : Optional.empty();
        String rest = colon >= 0 ? text.substring(colon + 1) : text;
        int at = rest.lastIndexOf('@');
        Optional<String> tenant = at > 0 ? Optional.of(rest.substring(0, at)) : Optional.empty();
        return new QueueName(campaign, tenant, at >= 0 ? rest.substring(at + 1) : rest);
    }

    /**
     * The same name over interned strings, for a queue that is kept: a tenant's name recurs in a queue per domain
     * and a domain's in a queue per tenant, up to hundreds of thousands of queues.
     */
    QueueName interned() {
        return new QueueName(campaign.map(String::intern), tenant.map(String::intern), domain.intern());
    }

    @Override
    public String toString() {
        return campaign.map(c -> c + ":").orElse("") + tenant.map(t -> t + "@").orElse("") + domain;
    }

    private static void requireClean(String part, String what, String forbidden) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (char c : forbidden.toCharArray()) {
            if (part.indexOf(c) >= 0) {
                throw new IllegalArgumentException(what + " must not contain '" + c + "': " + part);
            }
        }
    }
}
