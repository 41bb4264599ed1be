package io.runnel.kernel.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runnel.api.log.LogEvent;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/** Recipient outcomes of delivery attempts, by tenant and by site (two metrics, so the caps do not multiply). */
@Singleton
public final class DeliveryMetrics {

    /** The outcomes counted, in label order. */
    private static final String[] OUTCOMES = {"delivered", "deferred", "bounced", "expired"};

    private final LabelCap tenants;
    private final LabelCap sites;
    private final MeterCache<Counter[]> byTenant;
    private final MeterCache<Counter[]> bySite;

    @Inject
    public DeliveryMetrics(MeterRegistry registry, Labels labels) {
        this.tenants = labels.tenants();
        this.sites = labels.sites();
        this.byTenant = new MeterCache<>(tenant -> counters(registry, "runnel.delivery.outcomes", "tenant", tenant,
                "Recipient outcomes of delivery attempts, by tenant"));
        this.bySite = new MeterCache<>(site -> counters(registry, "runnel.delivery.outcomes.by.site", "site", site,
                "Recipient outcomes of delivery attempts, by site (MX host set)"));
    }

    private static Counter[] counters(MeterRegistry registry, String name, String key, String value, String description) {
        Counter[] counters = new Counter[OUTCOMES.length];
        for (int i = 0; i < OUTCOMES.length; i++) {
            counters[i] = Counter.builder(name).description(description).tag(key, value).tag("outcome", OUTCOMES[i])
                    .register(registry);
        }
        return counters;
    }

    /**
     * One recipient's outcome; {@code type} is the record written for it (Delivery, TransientFailure, Bounce or
     * Expiration). {@code site} is empty when no site was found (the destination lookup failed).
     */
    public void outcome(LogEvent.Type type, Optional<String> tenant, String site) {
        int index = switch (type) {
            case DELIVERY -> 0;
            case TRANSIENT_FAILURE -> 1;
            case BOUNCE -> 2;
            case EXPIRATION -> 3;
            default -> throw new IllegalArgumentException("not a delivery outcome: " + type);
        };
        byTenant.get(tenants.label(tenant))[index].increment();
        bySite.get(sites.label(site))[index].increment();
    }
}
