package io.runnel.plugin.kafka;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * {@code [plugins.kafka]}: the brokers, the topic, the deadlines that bound a {@code publish}, and further producer
 * properties as {@code "name=value"} strings (TLS, SASL, compression, batching). Properties that carry the sink's
 * guarantees (idempotence, acks, serializers, timeouts) are set by the sink and refused here.
 */
record KafkaSinkConfig(List<String> bootstrapServers, String topic, String clientId, Duration deliveryTimeout,
                       Duration requestTimeout, int batchSize, Map<String, String> extraProperties) {

    static final Set<String> OWNED = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.CLIENT_ID_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    static final int MAX_BATCH_SIZE = 10_000;

    KafkaSinkConfig {
        bootstrapServers = List.copyOf(bootstrapServers);
        extraProperties = Map.copyOf(extraProperties);
    }

    static KafkaSinkConfig read(ConfigSection config) throws PluginConfigException {
        List<String> servers = config.strings("bootstrap_servers");
        String topic = config.string("topic").orElseThrow(() -> config.error("topic", "is required"));
        String clientId = config.string("client_id").orElse("runnel-log-sink");
        Duration deliveryTimeout = config.duration("delivery_timeout").orElse(Duration.ofSeconds(30));
        // the producer wants delivery.timeout.ms >= linger.ms + request.timeout.ms
        Duration half = deliveryTimeout.dividedBy(2);
        Duration requestTimeout = config.duration("request_timeout")
                .orElse(half.compareTo(Duration.ofSeconds(10)) < 0 ? half : Duration.ofSeconds(10));
        long batchSize = config.integer("batch_size").orElse(500L);
        List<String> properties = config.strings("producer_properties");
        config.rejectUnknownKeys();

        if (servers.isEmpty() || servers.stream().anyMatch(String::isBlank)) {
            throw config.error("bootstrap_servers", "is required: a list of \"host:port\"");
        }
        if (topic.isBlank()) {
            throw config.error("topic", "must not be blank");
        }
        positive(config, "delivery_timeout", deliveryTimeout);
        positive(config, "request_timeout", requestTimeout);
        if (requestTimeout.compareTo(deliveryTimeout) > 0) {
            throw config.error("request_timeout", requestTimeout + " exceeds delivery_timeout " + deliveryTimeout);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw config.error("batch_size", batchSize + " is outside 1.." + MAX_BATCH_SIZE);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (String property : properties) {
            int eq = property.indexOf('=');
            if (eq < 1) {
                throw config.error("producer_properties", "expected \"name=value\", got \"" + property + "\"");
            }
            String name = property.substring(0, eq).trim();
            if (OWNED.contains(name)) {
                throw config.error("producer_properties", name + " is set by the sink (see the README)");
            }
            extra.put(name, property.substring(eq + 1).trim());
        }
        return new KafkaSinkConfig(servers, topic, clientId, deliveryTimeout, requestTimeout, (int) batchSize, extra);
    }

    /**
     * The producer's properties: idempotent with {@code acks=all}, so a retried send is written once and in order
     * per partition; every wait (metadata, buffer space, a record's whole delivery) bounded by the configured
     * timeouts.
     */
    Properties producerProperties() {
        Properties props = new Properties();
        props.putAll(extraProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeout.toMillis()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeout.toMillis()));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(deliveryTimeout.toMillis()));
        return props;
    }

    private static void positive(ConfigSection config, String key, Duration value) throws PluginConfigException {
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw config.error(key, "must be positive and under 24 days, not " + value);
        }
    }
}
