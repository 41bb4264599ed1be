package io.runnel.kernel.metrics;

import io.runnel.kernel.config.MetricsConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The two capped label dimensions, shared by every metric that uses them so they agree on who is "other". */
@Singleton
public final class Labels {

    private final LabelCap tenants;
    private final LabelCap sites;

    @Inject
    public Labels(MetricsConfig config) {
        this(new LabelCap(config.maxTenants()), new LabelCap(config.maxSites()));
    }

    Labels(LabelCap tenants, LabelCap sites) {
        this.tenants = tenants;
        this.sites = sites;
    }

    public LabelCap tenants() {
        return tenants;
    }

    public LabelCap sites() {
        return sites;
    }
}
