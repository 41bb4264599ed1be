package io.runnel.kernel.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.runnel.kernel.config.ListenerConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.delivery.DeliveryEngine;
import io.runnel.kernel.delivery.ReadyQueueSnapshot;
import io.runnel.kernel.log.DeliveryLog;
import io.runnel.kernel.log.LogShipping;
import io.runnel.kernel.log.SinkStats;
import io.runnel.kernel.plugin.PluginHost;
import io.runnel.kernel.plugin.PluginInvoker;
import io.runnel.kernel.queue.QueueManager;
import io.runnel.kernel.shaping.store.RedisHealth;
import io.runnel.kernel.shaping.store.ShapingStores;
import io.runnel.kernel.smtp.server.SmtpServer;
import io.runnel.kernel.spool.LmdbSpool;
import io.runnel.kernel.spool.SpoolUsage;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Gauges and counters read from what the kernel already keeps (spool counters, queue sizes, the delivery log's
 * drop count, plugin call counts, open sessions): nothing is counted twice. Per-tenant and per-site values are
 * computed once per scrape by {@link #refresh()}, folded by the shared label caps.
 */
final class KernelGauges {

    private final MeterRegistry registry;
    private final RunnelConfig config;
    private final Labels labels;
    private final LmdbSpool spool;
    private final QueueManager queues;
    private final DeliveryEngine delivery;
    private final DeliveryLog log;
    private final LogShipping shipping;
    private final PluginHost plugins;
    private final PluginInvoker invoker;
    private final SmtpServer smtp;
    private final ShapingStores shaping;
    private MultiGauge scheduledByTenant;
    private MultiGauge readyByTenant;
    private MultiGauge connectionsBySite;

    @Inject
    KernelGauges(MeterRegistry registry, RunnelConfig config, Labels labels, LmdbSpool spool, QueueManager queues,
                 DeliveryEngine delivery, DeliveryLog log, LogShipping shipping, PluginHost plugins, PluginInvoker invoker, SmtpServer smtp,
                 ShapingStores shaping) {
        this.registry = registry;
        this.config = config;
        this.labels = labels;
        this.spool = spool;
        this.queues = queues;
        this.delivery = delivery;
        this.log = log;
        this.shipping = shipping;
        this.plugins = plugins;
        this.invoker = invoker;
        this.smtp = smtp;
        this.shaping = shaping;
    }

    /** Registers every meter; called once, before the first scrape. */
    void register() {
        spoolUsage("runnel.spool.messages", "Messages in the spool", null, SpoolUsage::messages);
        spoolUsage("runnel.spool.used", "The spool map's high-water mark (freed pages are reused first)", "bytes",
                SpoolUsage::usedBytes);
        spoolUsage("runnel.spool.map.size", "The spool's configured map size, the most it can hold", "bytes",
                SpoolUsage::mapBytes);
        spoolUsage("runnel.spool.free", "Room left in the spool map: map size less the pages holding messages", "bytes",
                SpoolUsage::freeBytes);
        FunctionCounter.builder("runnel.spool.messages.stored", spool, s -> s.stats().messagesStored())
                .description("New messages committed to the spool").register(registry);
        FunctionCounter.builder("runnel.spool.commits", spool, s -> s.stats().commits())
                .description("Spool write transactions committed (one fsync each in sync = \"full\")").register(registry);
        FunctionCounter.builder("runnel.spool.writes.failed", spool, s -> s.stats().writesFailed())
                .description("Spool writes refused (spool full, disk error)").register(registry);
        FunctionCounter.builder("runnel.delivery.log.dropped", log, DeliveryLog::dropped).baseUnit("records")
                .description("Delivery log records lost: queue full, or the log stopped while it could not write").register(registry);
        FunctionCounter.builder("runnel.delivery.log.write.failures", log, DeliveryLog::writeFailures)
                .description("Journal writes that failed (disk full, I/O error) and are retried; records wait meanwhile")
                .register(registry);
        Gauge.builder("runnel.delivery.log.backlog", log, DeliveryLog::backlog).baseUnit("records")
                .description("Delivery log records accepted but not yet on disk (finished messages wait for theirs)")
                .register(registry);
        Gauge.builder("runnel.log.journal.size", shipping, s -> s.retentionStats().journalBytes()).baseUnit("bytes")
                .description("Delivery log journal on disk, as the last retention run saw it").register(registry);
        FunctionCounter.builder("runnel.log.journal.over.limit", shipping, s -> s.retentionStats().overLimitRuns())
                .description("Retention runs that found the journal over max_size with only unshipped records left")
                .register(registry);
        Gauge.builder("runnel.plugins.failed", plugins, p -> p.failures().size())
                .description("Plugins that failed to load or start").register(registry);
        shaping.redis().ifPresent(redis -> {
            Gauge.builder("runnel.redis.up", redis, r -> r.up() ? 1 : 0)
                    .description("1 while throttles and connection limits are shared through Redis, 0 while each node keeps its own")
                    .register(registry);
            FunctionCounter.builder("runnel.redis.failures", redis, RedisHealth::failures)
                    .description("Redis calls that failed: refused, broken, timed out").register(registry);
            FunctionCounter.builder("runnel.redis.fallbacks", redis, RedisHealth::fallbacks)
                    .description("Throttle and lease calls answered by this node's own limits because Redis was unusable")
                    .register(registry);
        });
        for (ListenerConfig listener : config.listeners()) {
            Gauge.builder("runnel.smtp.sessions", smtp, s -> s.activeSessions(listener.name()))
                    .description("Open inbound SMTP sessions").tag("listener", listener.name()).register(registry);
        }
        scheduledByTenant = MultiGauge.builder("runnel.queue.scheduled.messages")
                .description("Messages in scheduled queues (one per recipient domain), by tenant; sum() is the total")
                .register(registry);
        readyByTenant = MultiGauge.builder("runnel.queue.ready.messages")
                .description("Messages in ready queues waiting for a connection, by tenant; sum() is the total")
                .register(registry);
        connectionsBySite = MultiGauge.builder("runnel.delivery.connections")
                .description("Open outbound SMTP connections, by site").register(registry);
    }

    private void spoolUsage(String name, String description, String unit, ToDoubleFunction<SpoolUsage> value) {
        Gauge.builder(name, spool, s -> s.usage().map(value::applyAsDouble).orElse(Double.NaN))
                .description(description).baseUnit(unit).register(registry);
    }

    /** Reads the queue snapshots; runs on the scrape thread, before each scrape. */
    void refresh() {
        for (String plugin : plugins.startedPlugins()) { // registering again returns the existing meter
            FunctionCounter.builder("runnel.plugin.call.timeouts", invoker, i -> i.stats(plugin).timeouts())
                    .description("Plugin calls that missed their deadline").tag("plugin", plugin).register(registry);
        }
        for (SinkStats sink : shipping.stats()) {
            sinkMeters(sink.sinkId());
        }
        scheduledByTenant.register(rows(queues.sizesByTenant(), labels.tenants(), "tenant"), true);
        Map<Optional<String>, Integer> readyTenants = new HashMap<>();
        Map<Optional<String>, Integer> siteConnections = new HashMap<>();
        for (ReadyQueueSnapshot ready : delivery.readyQueues()) {
            ready.waitingByTenant().forEach((tenant, n) -> readyTenants.merge(tenant, n, Integer::sum));
            siteConnections.merge(Optional.of(ready.site()), ready.connections(), Integer::sum);
        }
        readyByTenant.register(rows(readyTenants, labels.tenants(), "tenant"), true);
        connectionsBySite.register(rows(siteConnections, labels.sites(), "site"), true);
    }

    /** The shipping meters of one log sink; registering again returns the existing meters. */
    private void sinkMeters(String sinkId) {
        FunctionCounter.builder("runnel.log.sink.shipped", shipping, s -> sinkValue(s, sinkId, SinkStats::shipped))
                .baseUnit("records").description("Records the log sink accepted").tag("sink", sinkId)
                .register(registry);
        FunctionCounter.builder("runnel.log.sink.failed.batches", shipping,
                        s -> sinkValue(s, sinkId, SinkStats::failedBatches))
                .description("Failed publish calls to the log sink (each retried)").tag("sink", sinkId)
                .register(registry);
        Gauge.builder("runnel.log.sink.lag", shipping, s -> sinkValue(s, sinkId, SinkStats::lagBytes))
                .baseUnit("bytes").description("Journal bytes the log sink has not taken yet").tag("sink", sinkId)
                .register(registry);
    }

    private static double sinkValue(LogShipping shipping, String sinkId, ToLongFunction<SinkStats> value) {
        return shipping.stats().stream().filter(s -> s.sinkId().equals(sinkId)).mapToLong(value).findFirst()
                .orElse(0);
    }

    /** One row per label value, values that fold into one label summed. */
    private static List<MultiGauge.Row<?>> rows(Map<Optional<String>, Integer> counts, LabelCap cap, String key) {
        Map<String, Integer> folded = new HashMap<>();
        counts.forEach((value, n) -> folded.merge(cap.label(value), n, Integer::sum));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        folded.forEach((label, n) -> rows.add(MultiGauge.Row.of(Tags.of(key, label), n)));
        return rows;
    }
}
