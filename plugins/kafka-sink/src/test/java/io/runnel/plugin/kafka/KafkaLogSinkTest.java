package io.runnel.plugin.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.log.LogEvent;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.testing.LogEvents;
import io.runnel.api.testing.TestPluginContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against a real KRaft broker started for this class. */
class KafkaLogSinkTest {

    static final String TOPIC = "runnel-log";
    static final int PARTITIONS = 4;

    @TempDir
    static Path dir;
    static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws IOException {
        kafka = KafkaBroker.start(dir);
        kafka.createTopic(TOPIC, PARTITIONS);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void producesEveryRecordKeyedByTenantInOrderPerTenant() throws Exception {
        List<LogEvent> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String tenant = i % 5 == 4 ? null : List.of("acme", "globex", "initech", "umbrella").get(i % 4);
            records.add(LogEvents.record(i % 2 == 0 ? LogEvent.Type.RECEPTION : LogEvent.Type.DELIVERY, "m" + i,
                    tenant, tenant == null ? null : "spring-sale"));
        }
        try (KafkaLogSink sink = sink(Map.of("batch_size", 25L))) {
            for (int from = 0; from < records.size(); from += sink.maxBatchSize()) {
                sink.publish(records.subList(from, Math.min(records.size(), from + sink.maxBatchSize())));
            }
        }

        List<ConsumerRecord<String, byte[]>> got = consumeAll(records.size());
        assertThat(got).hasSize(records.size());
        Map<String, List<String>> sentByKey = records.stream().collect(Collectors.groupingBy(
                e -> e.tenant().orElse(""), LinkedHashMap::new,
                Collectors.mapping(LogEvent::json, Collectors.toList())));
        Map<String, List<String>> gotByKey = got.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                LinkedHashMap::new, Collectors.mapping(r -> new String(r.value(), StandardCharsets.UTF_8),
                        Collectors.toList())));
        assertThat(gotByKey).isEqualTo(sentByKey);
        Map<String, Set<Integer>> partitionsByKey = got.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
        assertThat(partitionsByKey.values()).allMatch(partitions -> partitions.size() == 1);

        ConsumerRecord<String, byte[]> first = got.stream().filter(r -> r.key().equals("acme")).findFirst()
                .orElseThrow();
        assertThat(header(first, "type")).isEqualTo("Reception");
        assertThat(header(first, "tenant")).isEqualTo("acme");
        assertThat(header(first, "campaign")).isEqualTo("spring-sale");
        assertThat(first.timestamp()).isEqualTo(records.get(0).timestamp().toEpochMilli());
        ConsumerRecord<String, byte[]> anonymous = got.stream().filter(r -> r.key().isEmpty()).findFirst()
                .orElseThrow();
        assertThat(anonymous.headers().lastHeader("tenant")).isNull();
    }

    @Test
    void publishThrowsWithinTheDeliveryTimeoutWhenNoBrokerAnswers() throws Exception {
        Map<String, Object> config = Map.of("bootstrap_servers", List.of("127.0.0.1:9"), "topic", TOPIC,
                "delivery_timeout", "2s");
        try (KafkaLogSink sink = new KafkaLogSink(TestPluginContext.of("kafka", config))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> sink.publish(LogEvents.deliveries("x", "acme", 10)))
                    .isInstanceOf(IOException.class).hasMessageContaining("Kafka did not take");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void producingToAMissingTopicThrowsAndTheSinkWorksOnceItExists() throws Exception {
        try (KafkaLogSink sink = sink(Map.of("topic", "created-later", "delivery_timeout", "3s"))) {
            assertThatThrownBy(() -> sink.publish(LogEvents.deliveries("x", "acme", 3)))
                    .isInstanceOf(IOException.class).hasMessageContaining("created-later");

            kafka.createTopic("created-later", 1);
            sink.publish(LogEvents.deliveries("y", "acme", 3));
        }
    }

    private static KafkaLogSink sink(Map<String, Object> extra) throws PluginConfigException {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap_servers", List.of(kafka.bootstrap),
                "topic", TOPIC, "delivery_timeout", "20s"));
        config.putAll(extra);
        return new KafkaLogSink(TestPluginContext.of("kafka", config));
    }

    private static List<ConsumerRecord<String, byte[]>> consumeAll(int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                var polled = consumer.poll(Duration.ofMillis(500));
                polled.forEach(got::add);
                // one empty poll past the expected count, so a duplicate shows up as a size mismatch
                if (got.size() >= expected && polled.isEmpty()) {
                    break;
                }
            }
        }
        return got;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
