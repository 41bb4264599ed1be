package io.runnel.kernel.queue;

import java.util.Locale;
import java.util.Objects;

/**
 * Chooses queued mail by tenant, campaign, recipient domain, site and egress source; an empty part matches
 * anything, and every part given must match. A domain with a leading dot ({@code .example.com}) also matches its
 * sub-domains. Tenant, campaign and domain are known in the scheduled queue; site and source only once a message
 * is routed, so a selector that names them is checked on the delivery path ({@link #needsRoute()}).
 */
public record QueueSelector(String tenant, String campaign, String domain, String site, String source) {

    public QueueSelector {
        tenant = clean(tenant, "tenant");
        campaign = clean(campaign, "campaign");
        domain = clean(domain, "domain").toLowerCase(Locale.ROOT);
        site = clean(site, "site").toLowerCase(Locale.ROOT);
        source = clean(source, "source");
    }

    public static final QueueSelector ANY = new QueueSelector("", "", "", "", "");

    public boolean isEmpty() {
        return tenant.isEmpty() && campaign.isEmpty() && domain.isEmpty() && site.isEmpty() && source.isEmpty();
    }

    /** True when site or source must be known to decide. */
    public boolean needsRoute() {
        return !site.isEmpty() || !source.isEmpty();
    }

    /** Whether the queue's tenant, campaign and domain match (site and source are not looked at). */
    public boolean matchesQueue(QueueName queue) {
        return part(tenant, queue.tenant().orElse("")) && part(campaign, queue.campaign().orElse(""))
                && domainMatches(queue.domain());
    }

    /** Whether a routed message matches: its queue, the site it goes to and the egress source it uses. */
    public boolean matches(QueueName queue, String routedSite, String routedSource) {
        return matchesQueue(queue) && (site.isEmpty() || site.equalsIgnoreCase(routedSite))
                && part(source, routedSource);
    }

    private boolean domainMatches(String queueDomain) {
        if (domain.isEmpty()) {
            return true;
        }
        if (domain.startsWith(".")) {
            return queueDomain.endsWith(domain) || queueDomain.equals(domain.substring(1));
        }
        return queueDomain.equals(domain);
    }

    private static boolean part(String wanted, String actual) {
        return wanted.isEmpty() || wanted.equalsIgnoreCase(actual);
    }

    private static String clean(String part, String what) {
        Objects.requireNonNull(part, what);
        String p = part.trim();
        if (p.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException(what + " must not contain spaces or control characters: \"" + part + "\"");
        }
        if ((what.equals("tenant") || what.equals("campaign")) && (p.contains("@") || p.contains(":"))) {
            throw new IllegalArgumentException(what + " must not contain '@' or ':': \"" + part + "\"");
        }
        return p;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        append(out, "tenant", tenant);
        append(out, "campaign", campaign);
        append(out, "domain", domain);
        append(out, "site", site);
        append(out, "source", source);
        return out.isEmpty() ? "*" : out.toString();
    }

    private static void append(StringBuilder out, String key, String value) {
        if (!value.isEmpty()) {
            out.append(out.isEmpty() ? "" : " ").append(key).append('=').append(value);
        }
    }
}
