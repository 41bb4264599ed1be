package io.runnel.kernel.config;

import io.runnel.kernel.config.DeliveryConfig.EnableTls;
import io.runnel.kernel.config.DeliveryConfig.QueueOverride;
import io.runnel.kernel.shaping.ThrottleSpec;
import io.runnel.kernel.shaping.Shaping;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the delivery side of {@code runnel.toml}: {@code [queues]}, {@code [[queues.override]]},
 * {@code [[egress.source]]}, {@code [[egress.pool]]}, {@code [[tenant]]}, {@code [delivery]} and {@code [shaping]}
 * (with the shaping files it names).
 * Without sources and pools, one source and one pool named "default" exist: no bind address, the server's name.
 */
final class DeliveryConfigReader {

    static final String DEFAULT = "default";
    private static final Logger log = LoggerFactory.getLogger(DeliveryConfigReader.class);

    private DeliveryConfigReader() {
    }

    static DeliveryConfig read(TomlSection root, ServerConfig server, TomlSection empty, Path home) throws ConfigException {
        TomlSection queues = root.section("queues").orElse(empty);
        QueueSettings defaults = settings(queues, QueueSettings.DEFAULTS);
        List<QueueOverride> overrides = new ArrayList<>();
        for (TomlSection o : queues.sections("override")) {
            Optional<String> tenant = o.optionalString("tenant");
            Optional<String> domain = o.optionalString("domain");
            if (tenant.isEmpty() && domain.isEmpty()) {
                throw o.error("domain", "an override needs a tenant, a domain or both");
            }
            overrides.add(new QueueOverride(tenant, domain, settings(o, defaults)));
        }
        queues.rejectUnknownKeys();

        TomlSection egress = root.section("egress").orElse(empty);
        Map<String, EgressSource> sources = sources(egress.sections("source"), server);
        Map<String, EgressPool> pools = pools(egress.sections("pool"), sources);
        egress.rejectUnknownKeys();

        Map<String, String> tenantPools = new LinkedHashMap<>();
        for (TomlSection t : root.sections("tenant")) {
            String name = t.optionalString("name").orElseThrow(() -> t.error("name", "missing"));
            String pool = t.string("pool", DEFAULT);
            if (!pools.containsKey(pool)) {
                throw t.error("pool", "no [[egress.pool]] is named \"" + pool + "\"");
            }
            if (tenantPools.put(name, pool) != null) {
                throw t.error("name", "tenant \"" + name + "\" is defined twice");
            }
            t.rejectUnknownKeys();
        }

        TomlSection delivery = root.section("delivery").orElse(empty);
        DeliveryConfig.Limits limits = new DeliveryConfig.Limits(
                (int) delivery.integer("connection_limit", 32, 1, 100_000),
                (int) delivery.integer("max_deliveries_per_connection", 100, 1, 1_000_000),
                (int) delivery.integer("max_ready", 1024, 1, 10_000_000),
                delivery.choice("enable_tls", EnableTls.class, EnableTls.OPPORTUNISTIC_INSECURE),
                (int) delivery.integer("smtp_port", 25, 1, 65535),
                delivery.duration("connect_timeout", Duration.ofSeconds(60)),
                delivery.duration("command_timeout", Duration.ofMinutes(5)),
                delivery.duration("data_timeout", Duration.ofMinutes(10)),
                delivery.duration("idle_timeout", Duration.ofSeconds(5)),
                throttle(delivery, "max_message_rate"),
                throttle(delivery, "max_connection_rate"));
        delivery.rejectUnknownKeys();

        TomlSection shapingSection = root.section("shaping").orElse(empty);
        Shaping shaping = shaping(shapingSection, home, sources.keySet());
        Optional<String> strategy = shapingSection.optionalString("strategy");
        shapingSection.rejectUnknownKeys();

        String defaultPool = pools.containsKey(DEFAULT) ? DEFAULT : pools.keySet().iterator().next();
        return new DeliveryConfig(defaults, overrides, sources, pools, tenantPools, defaultPool, limits, shaping, strategy);
    }

    /**
     * {@code [shaping] files}: read in order. Without the key, {@code conf/shaping.toml} when it exists; a file the
     * key names must exist.
     */
    private static Shaping shaping(TomlSection s, Path home, Set<String> sources) throws ConfigException {
        List<String> named = s.strings("files", null);
        List<Path> files = named == null
                ? Optional.of(home.resolve("conf").resolve("shaping.toml")).filter(Files::isRegularFile).stream().toList()
                : named.stream().map(home::resolve).toList();
        return ShapingReader.read(files, sources, warning -> log.warn("shaping: {}", warning));
    }

    static Optional<ThrottleSpec> throttle(TomlSection s, String key) throws ConfigException {
        Optional<String> text = s.optionalString(key);
        try {
            return text.map(ThrottleSpec::parse);
        } catch (IllegalArgumentException e) {
            throw s.error(key, e.getMessage());
        }
    }

    private static QueueSettings settings(TomlSection s, QueueSettings fallback) throws ConfigException {
        Duration retry = positive(s, "retry_interval", fallback.retryInterval());
        Duration maxRetry = positive(s, "max_retry_interval", fallback.maxRetryInterval());
        Duration maxAge = positive(s, "max_age", fallback.maxAge());
        Optional<Duration> warning = s.optionalString("delay_warning").isPresent()
                ? Optional.of(positive(s, "delay_warning", Duration.ZERO)) : fallback.delayWarning();
        if (maxRetry.compareTo(retry) < 0) {
            throw s.error("max_retry_interval", "must not be shorter than retry_interval (" + retry + ")");
        }
        return new QueueSettings(retry, maxRetry, maxAge, warning);
    }

    private static Map<String, EgressSource> sources(List<TomlSection> sections, ServerConfig server) throws ConfigException {
        Map<String, EgressSource> sources = new LinkedHashMap<>();
        for (TomlSection s : sections) {
            String name = s.optionalString("name").orElseThrow(() -> s.error("name", "missing"));
            Optional<InetAddress> bind = Optional.empty();
            Optional<String> address = s.optionalString("source_address");
            if (address.isPresent()) {
                if (!address.get().matches("[0-9a-fA-F:.]+")) {
                    throw s.error("source_address", "must be an IP address, got \"" + address.get() + "\"");
                }
                try {
                    bind = Optional.of(InetAddress.getByName(address.get())); // a literal: no lookup
                } catch (UnknownHostException e) {
                    throw s.error("source_address", "not an IP address: \"" + address.get() + "\"");
                }
            }
            String ehlo = s.string("ehlo_domain", server.hostname());
            s.rejectUnknownKeys();
            if (sources.put(name, new EgressSource(name, bind, ehlo)) != null) {
                throw s.error("name", "source \"" + name + "\" is defined twice");
            }
        }
        if (sources.isEmpty()) {
            sources.put(DEFAULT, new EgressSource(DEFAULT, Optional.empty(), server.hostname()));
        }
        return sources;
    }

    private static Map<String, EgressPool> pools(List<TomlSection> sections, Map<String, EgressSource> sources)
            throws ConfigException {
        Map<String, EgressPool> pools = new LinkedHashMap<>();
        for (TomlSection p : sections) {
            String name = p.optionalString("name").orElseThrow(() -> p.error("name", "missing"));
            List<EgressPool.Member> members = new ArrayList<>();
            for (TomlSection m : p.sections("entry")) {
                String source = m.optionalString("name").orElseThrow(() -> m.error("name", "missing"));
                if (!sources.containsKey(source)) {
                    throw m.error("name", "no [[egress.source]] is named \"" + source + "\"");
                }
                members.add(new EgressPool.Member(source, (int) m.integer("weight", 1, 1, 1_000_000)));
                m.rejectUnknownKeys();
            }
            if (members.isEmpty()) {
                throw p.error("entry", "a pool needs at least one [[egress.pool.entry]]");
            }
            p.rejectUnknownKeys();
            if (pools.put(name, new EgressPool(name, members)) != null) {
                throw p.error("name", "pool \"" + name + "\" is defined twice");
            }
        }
        if (pools.isEmpty()) {
            List<EgressPool.Member> all = sources.keySet().stream().map(s -> new EgressPool.Member(s, 1)).toList();
            pools.put(DEFAULT, new EgressPool(DEFAULT, all));
        }
        return pools;
    }

    private static Duration positive(TomlSection s, String key, Duration fallback) throws ConfigException {
        Duration d = s.duration(key, fallback);
        if (d.isZero() || d.isNegative()) {
            throw s.error(key, "must be greater than 0");
        }
        return d;
    }
}
