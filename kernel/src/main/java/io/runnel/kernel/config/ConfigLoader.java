package io.runnel.kernel.config;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.config.ListenerConfig.BareLineEndings;
import io.runnel.kernel.config.ListenerConfig.Limits;
import io.runnel.kernel.config.ListenerConfig.TlsMode;
import io.runnel.kernel.config.SpoolConfig.SyncMode;
import io.runnel.kernel.report.BounceClassifier;
import io.runnel.kernel.report.BounceRulesLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads {@code conf/runnel.toml} into a {@link RunnelConfig}. Every key has a default, so an empty file runs a
 * loopback-only listener; unknown keys, wrong types and bad values stop the start with file, line, key and reason.
 */
public final class ConfigLoader {

    static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    private final Path home;

    /** @param home the folder relative paths in the file are resolved against */
    public ConfigLoader(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    public RunnelConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, Optional.empty(), "", "file not found");
        } catch (IOException e) {
            throw new ConfigException(file, Optional.empty(), "", "cannot read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** The built-in defaults, as if {@code file} were empty. */
    public RunnelConfig defaults(Path file) throws ConfigException {
        return parse(file, "");
    }

    RunnelConfig parse(Path file, String text) throws ConfigException {
        TomlParseResult toml = TomlText.parse(file, text);
        TomlSection root = new TomlSection(file, toml, "", Optional.empty());
        ServerConfig server = server(root.section("server").orElse(empty(file, "server")));
        SpoolConfig spool = spool(root.section("spool").orElse(empty(file, "spool")), server);
        TomlSection logSection = root.section("log").orElse(empty(file, "log"));
        ReportConfig reports = reports(logSection, root.section("verp").orElse(empty(file, "verp")), server, file);
        LogConfig log = log(logSection);
        List<ListenerConfig> listeners = listeners(file, root.sections("listener"), server);
        List<AuthUser> users = users(root.section("auth").orElse(empty(file, "auth")));
        DnsConfig dns = dns(root.section("dns").orElse(empty(file, "dns")));
        List<RouteConfig> routes = routes(root.sections("route"));
        DeliveryConfig delivery = DeliveryConfigReader.read(root, server, empty(file, ""), home);
        ReceptionConfig reception = reception(root.section("reception").orElse(empty(file, "reception")));
        ScanningConfig scanning = scanning(root.section("scanning").orElse(empty(file, "scanning")));
        PluginsConfig plugins = plugins(file, root.section("plugins").orElse(empty(file, "plugins")));
        MetricsConfig metrics = MetricsConfigReader.read(root.section("metrics").orElse(empty(file, "metrics")));
        GrpcConfig grpc = GrpcConfigReader.read(root.section("grpc").orElse(empty(file, "grpc")), home);
        RulesConfig rules = rules(root.section("rules").orElse(empty(file, "rules")));
        RedisConfig redis = RedisConfigReader.read(root.section("redis").orElse(empty(file, "redis")), home);
        root.rejectUnknownKeys();
        return new RunnelConfig(home, server, spool, log, listeners, users, dns, routes, reception, scanning, delivery, plugins,
                metrics, reports, grpc, rules, redis);
    }

    private static ScanningConfig scanning(TomlSection s) throws ConfigException {
        long maxSize = s.size("max_size", 10L << 20);
        Duration timeout = positive(s, "timeout", Duration.ofSeconds(30));
        ScanningConfig.ScanPolicy defaults = scanPolicy(s, new ScanningConfig.ScanPolicy(5.0, ScanningConfig.SpamAction.TAG,
                ScanningConfig.VirusAction.REJECT, ScanningConfig.Unavailable.TEMPFAIL));
        Map<String, ScanningConfig.ScanPolicy> tenants = new LinkedHashMap<>();
        for (TomlSection t : s.sections("tenant")) {
            String name = t.optionalString("name").orElseThrow(() -> t.error("name", "missing"));
            if (tenants.put(name, scanPolicy(t, defaults)) != null) {
                throw t.error("name", "tenant \"" + name + "\" has two scanning policies");
            }
            t.rejectUnknownKeys();
        }
        s.rejectUnknownKeys();
        return new ScanningConfig(maxSize, timeout, defaults, tenants);
    }

    private static ScanningConfig.ScanPolicy scanPolicy(TomlSection s, ScanningConfig.ScanPolicy fallback) throws ConfigException {
        double threshold = s.optionalNumber("spam_threshold").orElse(fallback.spamThreshold());
        return new ScanningConfig.ScanPolicy(threshold,
                s.choice("spam_action", ScanningConfig.SpamAction.class, fallback.spamAction()),
                s.choice("virus_action", ScanningConfig.VirusAction.class, fallback.virusAction()),
                s.choice("unavailable", ScanningConfig.Unavailable.class, fallback.unavailable()));
    }

    private RulesConfig rules(TomlSection s) throws ConfigException {
        Path folder = path(s, "path", "rules");
        Duration timeout = positive(s, "timeout", Duration.ofSeconds(1));
        int threads = (int) s.integer("threads", Math.max(2, Runtime.getRuntime().availableProcessors()), 1, 1024);
        List<RulesConfig.Selector> by = new ArrayList<>();
        for (String name : s.strings("by", List.of("auth", "listener", "network", "header"))) {
            try {
                by.add(RulesConfig.Selector.valueOf(name.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw s.error("by", "expected auth, listener, network or header, got \"" + name + "\"");
            }
        }
        List<RulesConfig.TenantMatch> tenants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TomlSection t : s.sections("tenant")) {
            String name = t.optionalString("name").orElseThrow(() -> t.error("name", "missing"));
            if (!names.add(name)) {
                throw t.error("name", "tenant \"" + name + "\" is listed twice");
            }
            tenants.add(new RulesConfig.TenantMatch(name, t.strings("auth", List.of()), t.strings("listeners", List.of()),
                    cidrs(t, "networks", List.of())));
            t.rejectUnknownKeys();
        }
        s.rejectUnknownKeys();
        return new RulesConfig(folder, timeout, threads, by, tenants);
    }

    private static ReceptionConfig reception(TomlSection s) throws ConfigException {
        ReceptionConfig config = new ReceptionConfig(
                s.string("tenant_header", "X-Tenant"),
                s.string("campaign_header", "X-Campaign"),
                positive(s, "signing_timeout", Duration.ofSeconds(5)),
                s.choice("signing_failure", ReceptionConfig.SigningFailure.class, ReceptionConfig.SigningFailure.TEMPFAIL));
        s.rejectUnknownKeys();
        return config;
    }

    /**
     * {@code [log] bounce_rules} and {@code headers}, {@code [verp]}, {@code [server] feedback_addresses}. Without
     * {@code bounce_rules}, the shipped rules files load: {@code conf/<name>} when the file is there (the
     * distribution ships them), else the copy built into Runnel.
     */
    private ReportConfig reports(TomlSection log, TomlSection verp, ServerConfig server, Path file) throws ConfigException {
        BounceClassifier classifier;
        List<String> files = log.strings("bounce_rules", null);
        if (files == null) {
            List<BounceClassifier.Rule> rules = new ArrayList<>();
            for (String name : BounceRulesLoader.BUILT_IN) {
                Path shipped = home.resolve("conf").resolve(name);
                rules.addAll(Files.isRegularFile(shipped) ? BounceRulesLoader.rules(shipped) : BounceRulesLoader.builtIn(name));
            }
            classifier = new BounceClassifier(rules);
        } else {
            classifier = BounceRulesLoader.load(files.stream().map(home::resolve).toList());
        }
        List<String> headers = log.strings("headers", List.of());
        for (String name : headers) {
            if (!name.matches("[!-9;-~]+")) {
                throw log.error("headers", "not a header field name: \"" + name + "\"");
            }
        }
        Optional<ReportConfig.Verp> verpConfig = Optional.empty();
        if (verp.bool("enabled", false)) {
            String domain = verp.optionalString("domain").or(() -> server.bounceDomains().stream().sorted().findFirst())
                    .orElseThrow(() -> verp.error("domain", "VERP needs a bounce domain: set [verp] domain or [server] bounce_domains"));
            if (!server.bounceDomains().contains(domain.toLowerCase(java.util.Locale.ROOT))) {
                throw verp.error("domain", "\"" + domain + "\" is not one of [server] bounce_domains");
            }
            String prefix = verp.string("prefix", "b");
            if (!prefix.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,31}")) {
                throw verp.error("prefix", "must be 1-32 letters, digits, '.', '_' or '-', got \"" + prefix + "\"");
            }
            verpConfig = Optional.of(new ReportConfig.Verp(domain, prefix));
        } else {
            verp.optionalString("domain");
            verp.optionalString("prefix");
        }
        verp.rejectUnknownKeys();
        return new ReportConfig(classifier, headers, verpConfig, server.bounceDomains(), server.feedbackAddresses());
    }

    private ServerConfig server(TomlSection s) throws ConfigException {
        String hostname = s.string("hostname", LocalHostname.read());
        Path dataDir = path(s, "data_dir", "data");
        Set<String> local = Set.copyOf(s.strings("local_domains", List.of()));
        Set<String> bounce = Set.copyOf(s.strings("bounce_domains", List.of()));
        Set<String> feedback = new HashSet<>();
        for (String text : s.strings("feedback_addresses", List.of())) {
            try {
                feedback.add(EmailAddress.parse(text).toString());
            } catch (IllegalArgumentException e) {
                throw s.error("feedback_addresses", "not an address: \"" + text + "\"");
            }
        }
        s.rejectUnknownKeys();
        return new ServerConfig(hostname, dataDir, local, bounce, feedback);
    }

    private SpoolConfig spool(TomlSection s, ServerConfig server) throws ConfigException {
        Path path = s.optionalString("path").map(home::resolve).orElse(server.dataDir().resolve("spool")).normalize();
        long mapSize = s.size("map_size", 4L << 30);
        SyncMode sync = s.choice("sync", SyncMode.class, SyncMode.FULL);
        int maxBatch = (int) s.integer("max_batch", 1024, 1, 100_000);
        int maxReaders = (int) s.integer("max_readers", 256, 1, 100_000);
        if (mapSize < 1 << 20) {
            throw s.error("map_size", "must be at least 1MiB");
        }
        long minFree = s.size("min_free", SpoolConfig.defaultMinFree(mapSize));
        if (minFree >= mapSize) {
            throw s.error("min_free", "must be less than map_size");
        }
        s.rejectUnknownKeys();
        return new SpoolConfig(path, mapSize, sync, maxBatch, maxReaders, minFree);
    }

    private LogConfig log(TomlSection s) throws ConfigException {
        Path path = path(s, "path", "log");
        long segmentSize = s.size("segment_size", 64L << 20);
        Duration segmentAge = positive(s, "segment_age", Duration.ofHours(1));
        if (segmentSize < 1024) {
            throw s.error("segment_size", "must be at least 1KiB");
        }
        int queueCapacity = (int) s.integer("queue_capacity", LogConfig.DEFAULT_QUEUE_CAPACITY, 1, 10_000_000);
        Duration retention = positive(s, "retention", LogConfig.DEFAULT_RETENTION);
        long maxSize = s.size("max_size", LogConfig.DEFAULT_MAX_SIZE);
        Map<String, LogSinkConfig> sinks = new LinkedHashMap<>();
        Optional<TomlSection> sinkTables = s.section("sink");
        if (sinkTables.isPresent()) {
            for (String id : sinkTables.get().remainingTables().keySet()) {
                sinks.put(id, logSink(sinkTables.get().section(id).orElseThrow()));
            }
            sinkTables.get().rejectUnknownKeys();
        }
        s.rejectUnknownKeys();
        return new LogConfig(path, segmentSize, segmentAge, queueCapacity, retention, maxSize, sinks);
    }

    private static LogSinkConfig logSink(TomlSection s) throws ConfigException {
        LogSinkConfig d = LogSinkConfig.DEFAULTS;
        LogSinkConfig.Start start = s.choice("start", LogSinkConfig.Start.class, d.start());
        int batchSize = (int) s.integer("batch_size", d.batchSize(), 1, 100_000);
        Duration minBackoff = positive(s, "min_backoff", d.minBackoff());
        Duration maxBackoff = positive(s, "max_backoff", d.maxBackoff());
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw s.error("max_backoff", "must not be less than min_backoff (" + minBackoff + ")");
        }
        s.rejectUnknownKeys();
        return new LogSinkConfig(start, batchSize, minBackoff, maxBackoff);
    }

    private List<ListenerConfig> listeners(Path file, List<TomlSection> sections, ServerConfig server) throws ConfigException {
        if (sections.isEmpty()) {
            return List.of(listener(empty(file, "listener"), server, "default")); // every key at its default
        }
        List<ListenerConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<InetSocketAddress> binds = new HashSet<>();
        for (int i = 0; i < sections.size(); i++) {
            TomlSection s = sections.get(i);
            ListenerConfig listener = listener(s, server, "listener" + i);
            if (!names.add(listener.name())) {
                throw s.error("name", "another listener is already named \"" + listener.name() + "\"");
            }
            // port 0 asks for a free port, so two such listeners on one address never clash
            if (listener.bind().getPort() != 0 && !binds.add(listener.bind())) {
                throw s.error("bind", "another listener already binds " + listener.bind());
            }
            out.add(listener);
        }
        return out;
    }

    private ListenerConfig listener(TomlSection s, ServerConfig server, String defaultName) throws ConfigException {
        String name = s.string("name", defaultName);
        InetSocketAddress bind = bind(s);
        String hostname = s.string("hostname", server.hostname());
        String banner = s.string("banner", "ESMTP Runnel");
        if (banner.contains("\r") || banner.contains("\n")) {
            throw s.error("banner", "must be one line");
        }
        TlsMode tls = s.choice("tls", TlsMode.class, TlsMode.STARTTLS);
        Optional<Path> certificate = s.optionalString("tls_certificate").map(home::resolve);
        Optional<Path> key = s.optionalString("tls_private_key").map(home::resolve);
        if (certificate.isPresent() != key.isPresent()) {
            throw s.error(certificate.isPresent() ? "tls_private_key" : "tls_certificate",
                    "tls_certificate and tls_private_key must be given together");
        }
        List<Cidr> relayFrom = cidrs(s, "relay_hosts", LOOPBACK.stream().map(Cidr::parse).toList());
        boolean auth = s.bool("auth", true);
        Limits limits = new Limits(
                s.size("max_message_size", 50L << 20),
                (int) s.integer("max_recipients", 1000, 1, 1_000_000),
                (int) s.integer("max_errors", 10, 1, 1000),
                (int) s.integer("max_command_line", 512, 512, 65_536),
                (int) s.integer("max_connections", 10_000, 1, 1_000_000),
                positive(s, "idle_timeout", Duration.ofMinutes(5)),
                s.duration("greeting_delay", Duration.ZERO),
                s.integer("min_data_rate", 500, 1, Integer.MAX_VALUE),
                (int) s.integer("max_junk_commands", 100, 1, 1_000_000));
        BareLineEndings bare = s.choice("bare_line_endings", BareLineEndings.class, BareLineEndings.REJECT);
        ClientLimits clients = ClientLimitsReader.read(s, relayFrom);
        TlsSettings tlsSettings = ClientLimitsReader.tls(s);
        s.rejectUnknownKeys();
        return new ListenerConfig(name, bind, hostname, banner, tls, certificate, key, relayFrom, auth, limits, bare, clients,
                tlsSettings);
    }

    private static InetSocketAddress bind(TomlSection s) throws ConfigException {
        String text = s.string("bind", "127.0.0.1:2525");
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw s.error("bind", "expected address:port such as \"127.0.0.1:2525\" or \"[::1]:2525\", got \"" + text + "\"");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw s.error("bind", "bad port in \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw s.error("bind", "port out of range in \"" + text + "\"");
        }
        if (!host.matches("[0-9a-fA-F:.]+")) {
            throw s.error("bind", "bind to an IP address, not a name: \"" + host + "\"");
        }
        try {
            Cidr.parse(host);
        } catch (IllegalArgumentException e) {
            throw s.error("bind", e.getMessage());
        }
        return new InetSocketAddress(host, port);
    }

    private static List<Cidr> cidrs(TomlSection s, String key, List<Cidr> fallback) throws ConfigException {
        List<String> texts = s.strings(key, null);
        if (texts == null) {
            return fallback;
        }
        List<Cidr> out = new ArrayList<>();
        for (String text : texts) {
            try {
                out.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw s.error(key, e.getMessage());
            }
        }
        return out;
    }

    private List<AuthUser> users(TomlSection auth) throws ConfigException {
        List<AuthUser> users = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TomlSection u : auth.sections("users")) {
            String name = u.optionalString("name").orElseThrow(() -> u.error("name", "missing"));
            String hash = u.optionalString("password_hash").orElseThrow(() -> u.error("password_hash", "missing"));
            u.rejectUnknownKeys();
            if (!names.add(name)) {
                throw u.error("name", "user \"" + name + "\" is defined twice");
            }
            try {
                users.add(new AuthUser(name, hash));
            } catch (IllegalArgumentException e) {
                throw u.error("password_hash", e.getMessage());
            }
        }
        auth.rejectUnknownKeys();
        return users;
    }

    /** {@code path} and {@code required}; every sub-table is a plugin's own section, checked by that plugin. */
    private PluginsConfig plugins(Path file, TomlSection s) throws ConfigException {
        Path path = path(s, "path", "plugins");
        List<String> required = s.strings("required", List.of());
        for (String id : required) {
            if (id.isBlank()) {
                throw s.error("required", "plugin ids must not be empty");
            }
        }
        if (new HashSet<>(required).size() != required.size()) {
            throw s.error("required", "lists a plugin twice");
        }
        Map<String, TomlTable> tables = s.remainingTables();
        s.rejectUnknownKeys();
        return new PluginsConfig(path, required, file, tables);
    }

    private static DnsConfig dns(TomlSection s) throws ConfigException {
        DnsConfig defaults = DnsConfig.defaults();
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String text : s.strings("name_servers", List.of())) {
            RouteConfig.Host host;
            try {
                host = HostPorts.parse(text, 53);
            } catch (IllegalArgumentException e) {
                throw s.error("name_servers", e.getMessage());
            }
            if (!HostPorts.isIpLiteral(host.name())) {
                throw s.error("name_servers", "name servers are IP addresses, not names: \"" + text + "\"");
            }
            servers.add(new InetSocketAddress(host.name(), host.port())); // a literal: no lookup happens
        }
        Duration timeout = positive(s, "timeout", defaults.timeout());
        Duration minTtl = s.duration("min_ttl", defaults.minTtl());
        Duration maxTtl = s.duration("max_ttl", defaults.maxTtl());
        Duration negativeTtl = s.duration("negative_ttl", defaults.negativeTtl());
        if (minTtl.compareTo(maxTtl) > 0) {
            throw s.error("min_ttl", "must not exceed max_ttl (" + maxTtl + ")");
        }
        s.rejectUnknownKeys();
        return new DnsConfig(servers, timeout, minTtl, maxTtl, negativeTtl);
    }

    private static List<RouteConfig> routes(List<TomlSection> sections) throws ConfigException {
        List<RouteConfig> out = new ArrayList<>();
        Set<String> domains = new HashSet<>();
        for (TomlSection s : sections) {
            String domain = routeDomain(s);
            if (!domains.add(domain)) {
                throw s.error("domain", "another route already matches \"" + domain + "\"");
            }
            int port = (int) s.integer("port", 25, 1, 65535);
            List<String> texts = s.strings("hosts", List.of());
            if (texts.isEmpty()) {
                throw s.error("hosts", "at least one host is needed");
            }
            List<RouteConfig.Host> hosts = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                try {
                    hosts.add(HostPorts.parse(texts.get(i), port));
                } catch (IllegalArgumentException e) {
                    throw s.error("hosts", e.getMessage());
                }
            }
            s.rejectUnknownKeys();
            out.add(new RouteConfig(domain, hosts));
        }
        return out;
    }

    private static String routeDomain(TomlSection s) throws ConfigException {
        String text = s.optionalString("domain").orElseThrow(() -> s.error("domain", "missing"));
        if (text.equals("*")) {
            return text;
        }
        boolean suffix = text.startsWith(".");
        try {
            String domain = HostPorts.domain(suffix ? text.substring(1) : text);
            return suffix ? "." + domain : domain;
        } catch (IllegalArgumentException e) {
            throw s.error("domain", "expected \"example.com\", \".example.com\" or \"*\", got \"" + text + "\"");
        }
    }

    private Path path(TomlSection s, String key, String fallback) throws ConfigException {
        return home.resolve(s.string(key, fallback)).normalize();
    }

    private static Duration positive(TomlSection s, String key, Duration fallback) throws ConfigException {
        Duration d = s.duration(key, fallback);
        if (d.isZero()) {
            throw s.error(key, "must be greater than 0");
        }
        return d;
    }

    private static TomlSection empty(Path file, String name) {
        return new TomlSection(file, Toml.parse(""), name, Optional.empty());
    }
}
