package io.runnel.plugin.amqp;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code [plugins.amqp]}: which broker (an {@code amqp://} or {@code amqps://} URI, credentials that override the
 * URI's, a CA file to trust for TLS), where records go (exchange, whether to declare it, routing key template) and
 * the deadlines that keep {@code publish} from hanging on a broken broker.
 *
 * @param caFile    empty: the JVM's default trust store
 * @param mandatory publish as mandatory: a record no queue takes is returned, and the batch fails
 */
record AmqpSinkConfig(URI uri, Optional<String> username, Optional<String> password, Optional<Path> caFile,
                      String exchange, boolean declareExchange, String exchangeType, RoutingKeyTemplate routingKey,
                      boolean mandatory,
                      Duration confirmTimeout, Duration connectTimeout, Duration recoveryInterval,
                      Duration heartbeat, int batchSize) {

    static final String DEFAULT_URI = "amqp://127.0.0.1:5672/%2F";
    static final String DEFAULT_EXCHANGE = "runnel.log";
    static final String DEFAULT_ROUTING_KEY = "{type}.{tenant}";
    static final Set<String> EXCHANGE_TYPES = Set.of("topic", "direct", "fanout", "headers");
    static final int MAX_BATCH_SIZE = 10_000;

    boolean tls() {
        return "amqps".equals(uri.getScheme());
    }

    static AmqpSinkConfig read(ConfigSection config, Path home) throws PluginConfigException {
        String uriText = config.string("uri").orElse(DEFAULT_URI);
        Optional<String> username = config.string("username");
        Optional<String> password = config.string("password");
        Optional<String> caFile = config.string("tls_ca_file");
        String exchange = config.string("exchange").orElse(DEFAULT_EXCHANGE);
        boolean declare = config.bool("declare_exchange").orElse(false);
        String exchangeType = config.string("exchange_type").orElse("topic");
        String routingKey = config.string("routing_key").orElse(DEFAULT_ROUTING_KEY);
        boolean mandatory = config.bool("mandatory").orElse(true);
        Duration confirmTimeout = config.duration("confirm_timeout").orElse(Duration.ofSeconds(30));
        Duration connectTimeout = config.duration("connect_timeout").orElse(Duration.ofSeconds(10));
        Duration recoveryInterval = config.duration("recovery_interval").orElse(Duration.ofSeconds(5));
        Duration heartbeat = config.duration("heartbeat").orElse(Duration.ofSeconds(30));
        long batchSize = config.integer("batch_size").orElse(500L);
        config.rejectUnknownKeys();

        URI uri;
        try {
            uri = new URI(uriText);
        } catch (URISyntaxException e) {
            throw config.error("uri", "not a URI: " + e.getMessage());
        }
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
            throw config.error("uri", "must start with amqp:// or amqps://, not " + uriText);
        }
        if (uri.getHost() == null) {
            throw config.error("uri", "names no host: " + uriText);
        }
        if (caFile.isPresent() && !"amqps".equals(uri.getScheme())) {
            throw config.error("tls_ca_file", "is only used with an amqps:// uri");
        }
        if (!EXCHANGE_TYPES.contains(exchangeType)) {
            throw config.error("exchange_type", "must be one of " + EXCHANGE_TYPES + ", not " + exchangeType);
        }
        RoutingKeyTemplate template;
        try {
            template = RoutingKeyTemplate.parse(routingKey);
        } catch (IllegalArgumentException e) {
            throw config.error("routing_key", e.getMessage());
        }
        positive(config, "confirm_timeout", confirmTimeout);
        positive(config, "connect_timeout", connectTimeout);
        positive(config, "recovery_interval", recoveryInterval);
        if (heartbeat.isNegative() || heartbeat.toSeconds() > 65_535) {
            throw config.error("heartbeat", "must be 0 (off) to 65535s, not " + heartbeat);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw config.error("batch_size", batchSize + " is outside 1.." + MAX_BATCH_SIZE);
        }
        return new AmqpSinkConfig(uri, username, password, caFile.map(home::resolve), exchange, declare,
                exchangeType, template, mandatory, confirmTimeout, connectTimeout, recoveryInterval, heartbeat,
                (int) batchSize);
    }

    private static void positive(ConfigSection config, String key, Duration value) throws PluginConfigException {
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw config.error(key, "must be positive and under 24 days, not " + value);
        }
    }
}
