package io.runnel.kernel.delivery;

import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.QueueSettings;
import io.runnel.kernel.dns.DeliveryPlan;
import io.runnel.kernel.dns.HostCandidate;
import io.runnel.kernel.reload.Live;
import io.runnel.kernel.shaping.EgressPath;
import io.runnel.kernel.shaping.PathSettings;
import io.runnel.kernel.shaping.Shaping;
import io.runnel.kernel.shaping.ShapingKeys;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the shaping files to delivery: which ready queue (site) a domain's mail goes to, the {@link EgressPath}
 * of each ready queue (shaping blocks over {@code [delivery]}, then tenant rules' egress phase), and the retry
 * settings of a queue.
 *
 * <p>A domain block with MX rollup shapes the site its domain's MX hosts make up. Which site that is becomes known
 * when mail for the domain is routed; from then on the block shapes every domain that shares the site.
 */
@Singleton
final class PathShaping {

    private final LimitsOverride rules;
    /** Site to the domain whose rollup block shapes it. */
    private final Map<String, String> siteDomains = new ConcurrentHashMap<>();

    @Inject
    PathShaping(LimitsOverride rules) {
        this.rules = rules;
    }

    /**
     * The plan mail for {@code domain} uses: its own site when its block opts out of MX rollup, else the plan as
     * resolved (learning the site of a domain with a rollup block).
     */
    DeliveryPlan plan(Live live, String domain, DeliveryPlan resolved) {
        Shaping shaping = live.config().delivery().shaping();
        String name = domain.toLowerCase(Locale.ROOT);
        if (shaping.ownSite(name)) {
            return new DeliveryPlan(name, resolved.hosts());
        }
        if (shaping.domains().containsKey(name)) {
            siteDomains.put(resolved.site(), name);
        }
        return resolved;
    }

    /** The shaping of a ready queue under this configuration, tenant rules' egress phase included. */
    CompletableFuture<EgressPath> path(Live live, String domain, DeliveryPlan plan, String source, String pool) {
        DeliveryConfig delivery = live.config().delivery();
        Shaping shaping = delivery.shaping();
        List<String> mx = mxHosts(plan);
        PathSettings settings = shaping.settingsFor(domain, siteDomain(plan), mx, source);
        EgressPath shaped = EgressPath.shaped(delivery.limits(), settings,
                shaping.provider(domain, mx).map(Shaping.Provider::name), source);
        return rules.limitsFor(live, domain, plan.site(), source, pool, shaped.asDeliveryLimits()).thenApply(shaped::withLimits);
    }

    /**
     * A queue's retry settings: a {@code [[queues.override]]} for it wins; otherwise the shaping blocks' retry keys
     * over the {@code [queues]} defaults.
     *
     * @param plan where the mail goes, when known (provider blocks matched by MX need it)
     */
    QueueSettings queueSettings(Live live, Optional<String> tenant, String domain, Optional<DeliveryPlan> plan) {
        DeliveryConfig delivery = live.config().delivery();
        Optional<QueueSettings> override = delivery.queueOverride(tenant, domain);
        if (override.isPresent()) {
            return override.get();
        }
        QueueSettings defaults = delivery.queueDefaults();
        Shaping shaping = delivery.shaping();
        if (shaping.providers().isEmpty() && shaping.domains().isEmpty() && shaping.defaults().settings().isEmpty()) {
            return defaults;
        }
        List<String> mx = plan.map(PathShaping::mxHosts).orElse(List.of());
        PathSettings settings = shaping.settingsFor(domain, plan.flatMap(this::siteDomain), mx, "");
        Duration retry = settings.get(ShapingKeys.RETRY_INTERVAL, defaults.retryInterval());
        Duration maxRetry = settings.get(ShapingKeys.MAX_RETRY_INTERVAL, defaults.maxRetryInterval());
        return new QueueSettings(retry, maxRetry.compareTo(retry) < 0 ? retry : maxRetry,
                settings.get(ShapingKeys.MAX_AGE, defaults.maxAge()), defaults.delayWarning());
    }

    private Optional<String> siteDomain(DeliveryPlan plan) {
        return Optional.ofNullable(siteDomains.get(plan.site()));
    }

    /** The MX host names of a site; a route's hosts are matched the same way. */
    private static List<String> mxHosts(DeliveryPlan plan) {
        return plan.hosts().stream().map(HostCandidate::host).toList();
    }
}
