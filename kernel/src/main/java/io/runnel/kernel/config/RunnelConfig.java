package io.runnel.kernel.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole of {@code conf/runnel.toml}, validated. Relative paths in the file are already resolved against
 * {@code home}, the folder that holds {@code conf/}.
 */
public record RunnelConfig(Path home, ServerConfig server, SpoolConfig spool, LogConfig log,
                           List<ListenerConfig> listeners, List<AuthUser> users, DnsConfig dns, List<RouteConfig> routes,
                           ReceptionConfig reception, ScanningConfig scanning, DeliveryConfig delivery,
                           PluginsConfig plugins, MetricsConfig metrics, ReportConfig reports,
                           GrpcConfig grpc, RulesConfig rules, RedisConfig redis) {

    public RunnelConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(log, "log");
        listeners = List.copyOf(listeners);
        users = List.copyOf(users);
        Objects.requireNonNull(reception, "reception");
        Objects.requireNonNull(scanning, "scanning");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(dns, "dns");
        routes = List.copyOf(routes);
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(reports, "reports");
        Objects.requireNonNull(grpc, "grpc");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(redis, "redis");
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is needed");
        }
    }
}
