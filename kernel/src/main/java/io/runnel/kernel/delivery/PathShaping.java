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
import io.runnel.kernel.reload.LiveConfig;
import io.runnel.kernel.shaping.automation.AutomationRule;
import io.runnel.kernel.shaping.automation.AutomationRulesFor;
import io.runnel.kernel.shaping.automation.PathFacts;
import io.runnel.kernel.shaping.automation.ShapingOverrides;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the shaping files to delivery: which ready queue (site) a domain's mail goes to, the {@link EgressPath}
 * of each ready queue (shaping blocks over {@code [delivery]}, then tenant rules' egress phase, then automation's
 * overrides), the retry settings of a queue, and the automation rules of a path.
 *
 * <p>A domain block with MX rollup shapes the site its domain's MX hosts make up. Which site that is becomes known
 * when mail for the domain is routed; from then on the block shapes every domain that shares the site.
 */
@Singleton
final class PathShaping implements AutomationRulesFor {

    private static final Logger log = LoggerFactory.getLogger(PathShaping.class);

    private final LiveConfig live;
    private final LimitsOverride rules;
    private final ShapingOverrides overrides;
    private final Clock clock;
    /** Site to the domain whose rollup block shapes it. */
    private final Map<String, String> siteDomains = new ConcurrentHashMap<>();
    /** Site to its MX host names, as routed. */
    private final Map<String, List<String>> siteHosts = new ConcurrentHashMap<>();

    @Inject
    PathShaping(LiveConfig live, LimitsOverride rules, ShapingOverrides overrides, Clock clock) {
        this.live = live;
        this.rules = rules;
        this.overrides = overrides;
        this.clock = clock;
    }

    /** What the shaping of ready queues depends on: a change of either makes them look again. */
    record Generation(long config, long overrides) {
    }

    Generation generation(Live now) {
        return new Generation(now.generation(), overrides.generation(clock.instant()));
    }

    /**
     * The plan mail for {@code domain} uses: its own site when its block opts out of MX rollup (unless a route
     * carries it), else the plan as resolved (learning the site of a domain with a rollup block).
     */
    DeliveryPlan plan(Live live, String domain, DeliveryPlan resolved) {
        Shaping shaping = live.config().delivery().shaping();
        String name = domain.toLowerCase(Locale.ROOT);
        // a route already decides where the mail goes, with its own ports: its ready queue stays the route's
        DeliveryPlan plan = shaping.ownSite(name) && !resolved.routed() ? new DeliveryPlan(name, resolved.hosts()) : resolved;
        if (!plan.site().equals(name) && shaping.domains().containsKey(name)) {
            siteDomains.put(plan.site(), name);
        }
        siteHosts.putIfAbsent(plan.site(), mxHosts(plan));
        return plan;
    }

    /** The shaping of a ready queue under this configuration, tenant rules' egress phase included. */
    CompletableFuture<EgressPath> path(Live live, String domain, DeliveryPlan plan, String source, String pool) {
        DeliveryConfig delivery = live.config().delivery();
        Shaping shaping = delivery.shaping();
        List<String> mx = mxHosts(plan);
        PathSettings settings = shaping.settingsFor(domain, siteDomain(plan), mx, source);
        Optional<String> provider = shaping.provider(domain, mx).map(Shaping.Provider::name);
        EgressPath shaped = EgressPath.of(delivery.limits()).with(settings, provider, source);
        PathSettings automated = overridden(source, plan.site());
        return rules.limitsFor(live, domain, plan.site(), source, pool, shaped.asDeliveryLimits())
                .thenApply(limits -> shaped.withLimits(limits).with(automated, provider, source));
    }

    /** Automation's SetConfig overrides of a path, parsed as the shaping files' keys are. */
    private PathSettings overridden(String source, String site) {
        Map<String, Object> active = overrides.activeFor(source, site, clock.instant());
        if (active.isEmpty()) {
            return PathSettings.EMPTY;
        }
        Map<String, Object> parsed = new LinkedHashMap<>();
        active.forEach((name, raw) -> ShapingKeys.named(name).ifPresent(key -> {
            try {
                parsed.put(name, key.parse(raw));
            } catch (IllegalArgumentException e) {
                log.atWarn().addKeyValue("key", name).addKeyValue("site", site).log("shaping override ignored: {}", e.getMessage());
            }
        }));
        return new PathSettings(parsed);
    }

    /** The automation rules of a path: those of every shaping block that shapes it, least specific first. */
    @Override
    public List<AutomationRule> rulesFor(PathFacts path) {
        Shaping shaping = live.current().config().delivery().shaping();
        List<String> mx = siteHosts.getOrDefault(path.site(), List.of());
        return shaping.blocksFor(path.domain(), Optional.ofNullable(siteDomains.get(path.site())), mx).stream()
                .flatMap(block -> block.automation().stream()).toList();
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
