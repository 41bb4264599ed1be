package io.runnel.kernel.config;

import io.runnel.kernel.shaping.Shaping;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything about getting mail out: queue retry settings, egress sources and pools, tenants, the per-connection
 * limits of delivery, the shaping files layered over them, and the {@code ShapingStrategy} extension to consult
 * (empty: the static shaping alone).
 */
public record DeliveryConfig(QueueSettings queueDefaults, List<QueueOverride> queueOverrides,
                             Map<String, EgressSource> sources, Map<String, EgressPool> pools,
                             Map<String, String> tenantPools, String defaultPool, Limits limits, Shaping shaping,
                             Optional<String> strategy) {

    public DeliveryConfig {
        Objects.requireNonNull(queueDefaults, "queueDefaults");
        queueOverrides = List.copyOf(queueOverrides);
        sources = Map.copyOf(sources);
        pools = Map.copyOf(pools);
        tenantPools = Map.copyOf(tenantPools);
        Objects.requireNonNull(defaultPool, "defaultPool");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(shaping, "shaping");
        Objects.requireNonNull(strategy, "strategy");
        if (!pools.containsKey(defaultPool)) {
            throw new IllegalArgumentException("default pool " + defaultPool + " is not defined");
        }
    }

    /** The settings for a queue: the most specific override, else the {@code [queues]} defaults. */
    public QueueSettings queueSettings(Optional<String> tenant, String domain) {
        return queueOverride(tenant, domain).orElse(queueDefaults);
    }

    /** The most specific {@code [[queues.override]]} for a queue (tenant and domain, then domain, then tenant). */
    public Optional<QueueSettings> queueOverride(Optional<String> tenant, String domain) {
        QueueSettings best = null;
        int bestScore = 0;
        for (QueueOverride o : queueOverrides) {
            boolean tenantMatches = o.tenant().map(t -> tenant.map(t::equals).orElse(false)).orElse(true);
            boolean domainMatches = o.domain().map(d -> d.equalsIgnoreCase(domain)).orElse(true);
            int score = (o.domain().isPresent() ? 2 : 0) + (o.tenant().isPresent() ? 1 : 0);
            if (tenantMatches && domainMatches && score > bestScore) {
                best = o.settings();
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The pool a tenant's mail leaves through. */
    public EgressPool poolFor(Optional<String> tenant) {
        return pools.get(tenant.map(t -> tenantPools.getOrDefault(t, defaultPool)).orElse(defaultPool));
    }

    /** A {@code [[queues.override]]}: settings for one tenant, one domain, or one tenant's mail to one domain. */
    public record QueueOverride(Optional<String> tenant, Optional<String> domain, QueueSettings settings) {
        public QueueOverride {
            if (tenant.isEmpty() && domain.isEmpty()) {
                throw new IllegalArgumentException("an override names a tenant, a domain or both");
            }
        }
    }

    /**
     * {@code [delivery]}: limits of each ready queue (one per egress source and destination site).
     *
     * @param connectionLimit             concurrent connections per ready queue
     * @param maxDeliveriesPerConnection  messages sent over one connection before it is closed
     * @param maxReady                    messages waiting in one ready queue; more go back to their scheduled queue
     * @param tls                         STARTTLS use towards destinations
     * @param smtpPort                    the port of MX hosts (routes carry their own)
     * @param connectTimeout              TCP connect timeout
     * @param commandTimeout              timeout for each command reply (banner, EHLO, MAIL, RCPT, DATA)
     * @param dataTimeout                 timeout for the reply after the final dot
     * @param idleTimeout                 how long an open connection waits for more messages before QUIT
     * @param maxMessageRate              messages handed to connections per ready queue, at most
     * @param maxConnectionRate           connections opened per ready queue, at most
     */
    public record Limits(int connectionLimit, int maxDeliveriesPerConnection, int maxReady, EnableTls tls, int smtpPort,
                         Duration connectTimeout, Duration commandTimeout, Duration dataTimeout, Duration idleTimeout,
                         Optional<ThrottleSpec> maxMessageRate, Optional<ThrottleSpec> maxConnectionRate) {
        public Limits {
            Objects.requireNonNull(maxMessageRate, "maxMessageRate");
            Objects.requireNonNull(maxConnectionRate, "maxConnectionRate");
            if (connectionLimit < 1 || maxDeliveriesPerConnection < 1 || maxReady < 1) {
                throw new IllegalArgumentException("delivery limits must be positive");
            }
            Objects.requireNonNull(tls, "tls");
            if (smtpPort < 1 || smtpPort > 65535) {
                throw new IllegalArgumentException("smtp_port out of range: " + smtpPort);
            }
        }
    }

    /** KumoMTA's enable_tls values. */
    public enum EnableTls { OPPORTUNISTIC, OPPORTUNISTIC_INSECURE, REQUIRED, REQUIRED_INSECURE, DISABLED }
}
