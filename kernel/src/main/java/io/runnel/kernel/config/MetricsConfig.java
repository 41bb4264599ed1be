package io.runnel.kernel.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The {@code [metrics]} section: the Prometheus endpoint and how many label values per-tenant and per-site metrics
 * may have.
 *
 * @param enabled    whether the HTTP endpoint is served (the kernel counts either way)
 * @param listen     address and port of the endpoint; port 0 takes a free port
 * @param path       the one path that answers; every other path gets 404
 * @param maxTenants tenants that get their own label value, first come first served; later ones count as "other"
 * @param maxSites   the same for delivery sites (MX host sets)
 */
public record MetricsConfig(boolean enabled, InetSocketAddress listen, String path, int maxTenants, int maxSites) {

    public static final int DEFAULT_PORT = 9464;

    public MetricsConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        if (maxTenants < 0 || maxSites < 0) {
            throw new IllegalArgumentException("label caps must not be negative");
        }
    }
}
