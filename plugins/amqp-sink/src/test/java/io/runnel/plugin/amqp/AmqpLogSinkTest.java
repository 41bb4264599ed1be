package io.runnel.plugin.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.runnel.api.log.LogEvent;
import io.runnel.api.testing.LogEvents;
import io.runnel.api.testing.TestPluginContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against a real RabbitMQ started for this class (one boot, about ten seconds, shared by the tests). */
class AmqpLogSinkTest {

    @TempDir
    static Path dir;
    static RabbitMq rabbit;

    private final List<AmqpLogSink> sinks = new ArrayList<>();

    @BeforeAll
    static void startRabbit() throws Exception {
        rabbit = RabbitMq.start(dir);
    }

    @AfterAll
    static void stopRabbit() {
        if (rabbit != null) {
            rabbit.close();
        }
    }

    @AfterEach
    void closeSinks() {
        sinks.forEach(AmqpLogSink::close);
    }

    @Test
    void publishesEachRecordInOrderWithItsRoutingKeyPropertiesAndHeaders() throws Exception {
        AmqpLogSink sink = sink(Map.of("exchange", "log-order", "declare_exchange", true,
                "routing_key", "runnel.{type}.{tenant}"));
        List<LogEvent> batch = List.of(
                LogEvents.record(LogEvent.Type.RECEPTION, "m1", "acme", "spring-sale"),
                LogEvents.record(LogEvent.Type.DELIVERY, "m1", "acme", "spring-sale"),
                LogEvents.record(LogEvent.Type.BOUNCE, "m2", "globex", null),
                LogEvents.record(LogEvent.Type.REJECTION, "m3", null, null));
        try (Connection connection = rabbit.connectionFactory().newConnection();
             Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("log-order", "topic", true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "log-order", "runnel.#");

            sink.publish(batch);

            List<GetResponse> got = take(channel, queue, batch.size());
            assertThat(got).extracting(r -> r.getEnvelope().getRoutingKey())
                    .containsExactly("runnel.Reception.acme", "runnel.Delivery.acme", "runnel.Bounce.globex",
                            "runnel.Rejection.");
            assertThat(got).extracting(r -> new String(r.getBody(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(batch.stream().map(LogEvent::json).toList());
            GetResponse delivery = got.get(1);
            assertThat(delivery.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(delivery.getProps().getContentType()).isEqualTo("application/json");
            assertThat(delivery.getProps().getMessageId()).isEqualTo("m1");
            assertThat(delivery.getProps().getType()).isEqualTo("Delivery");
            assertThat(headers(delivery)).containsEntry("type", "Delivery").containsEntry("tenant", "acme")
                    .containsEntry("campaign", "spring-sale").containsEntry("recipient", "rcpt-m1@example.net");
            assertThat(headers(got.get(3))).containsOnlyKeys("type", "recipient");
        }
    }

    @Test
    void brokerOutageMakesPublishFailAndAfterRestartNothingIsLost() throws Exception {
        AmqpLogSink sink = sink(Map.of("exchange", "log-outage", "declare_exchange", true,
                "recovery_interval", "0.2s", "connect_timeout", "2s", "confirm_timeout", "5s"));
        try (Connection connection = rabbit.connectionFactory().newConnection();
             Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("log-outage", "topic", true);
            channel.queueDeclare("outage", true, false, false, null);
            channel.queueBind("outage", "log-outage", "#");
        }
        List<LogEvent> before = LogEvents.deliveries("before", "acme", 20);
        List<LogEvent> during = LogEvents.deliveries("during", "acme", 20);
        sink.publish(before);

        rabbit.stop();
        long failedAt = System.nanoTime();
        assertThatThrownBy(() -> sink.publish(during)).isInstanceOfAny(IOException.class, TimeoutException.class,
                com.rabbitmq.client.ShutdownSignalException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - failedAt)).isLessThan(Duration.ofSeconds(10));

        rabbit.start();
        // what the kernel's shipper does: offer the same batch again until the sink takes it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> sink.publish(during));

        try (Connection connection = rabbit.connectionFactory().newConnection();
             Channel channel = connection.createChannel()) {
            long count = channel.messageCount("outage");
            List<String> ids = take(channel, "outage", (int) count).stream()
                    .map(r -> r.getProps().getMessageId()).toList();
            // at least once: a repeat is possible, a gap is not; first sightings keep journal order
            List<String> expected = new ArrayList<>();
            before.forEach(e -> expected.add(e.id()));
            during.forEach(e -> expected.add(e.id()));
            assertThat(new ArrayList<>(new LinkedHashSet<>(ids))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void publishingToAMissingExchangeThrowsNamingIt() throws Exception {
        AmqpLogSink sink = sink(Map.of("exchange", "no-such-exchange"));

        assertThatThrownBy(() -> sink.publish(LogEvents.deliveries("x", "acme", 3)))
                .hasStackTraceContaining("no exchange 'no-such-exchange'");
        // the sink recovers by itself once the operator creates the exchange
        try (Connection connection = rabbit.connectionFactory().newConnection();
             Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("no-such-exchange", "topic", true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "no-such-exchange", "#");
            sink.publish(LogEvents.deliveries("y", "acme", 3));
            assertThat(take(channel, queue, 3)).hasSize(3);
        }
    }

    @Test
    void aRecordNoQueueTakesFailsThePublishUnlessMandatoryIsOff() throws Exception {
        try (Connection connection = rabbit.connectionFactory().newConnection();
             Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("log-unbound", "topic", true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "log-unbound", "Delivery.acme");
            AmqpLogSink sink = sink(Map.of("exchange", "log-unbound"));
            List<LogEvent> batch = List.of(LogEvents.record(LogEvent.Type.DELIVERY, "a1", "acme", null),
                    LogEvents.record(LogEvent.Type.DELIVERY, "g1", "globex", null));

            assertThatThrownBy(() -> sink.publish(batch)).isInstanceOf(IOException.class)
                    .hasMessageContaining("no queue took record g1").hasMessageContaining("NO_ROUTE");
            sink(Map.of("exchange", "log-unbound", "mandatory", false)).publish(batch);
        }
    }

    @Test
    void wrongCredentialsMakePublishThrow() {
        AmqpLogSink sink = sink(Map.of("password", "wrong"));

        assertThatThrownBy(() -> sink.publish(LogEvents.deliveries("x", "acme", 1)))
                .isInstanceOf(com.rabbitmq.client.AuthenticationFailureException.class);
    }

    @Test
    void publishesOverTlsTrustingTheConfiguredCaAndRefusesAnUntrustedBroker() throws Exception {
        AmqpLogSink trusting = sink(Map.of("uri", rabbit.tlsUri(), "exchange", "log-tls", "declare_exchange", true,
                "tls_ca_file", rabbit.certificate.certificate().toString()));
        try (Connection connection = rabbit.connectionFactory().newConnection();
             Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("log-tls", "topic", true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "log-tls", "#");

            trusting.publish(LogEvents.deliveries("tls", "acme", 2));

            assertThat(take(channel, queue, 2)).extracting(r -> r.getProps().getMessageId())
                    .containsExactly("tls-0", "tls-1");
        }
        // the JVM's default trust store does not know the broker's self-signed certificate
        AmqpLogSink untrusting = sink(Map.of("uri", rabbit.tlsUri(), "exchange", "log-tls"));
        assertThatThrownBy(() -> untrusting.publish(LogEvents.deliveries("no", "acme", 1)))
                .hasStackTraceContaining("PKIX path building failed");
    }

    private AmqpLogSink sink(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("uri", rabbit.uri(), "username", RabbitMq.USER,
                "password", RabbitMq.PASSWORD));
        config.putAll(extra);
        try {
            AmqpLogSink sink = new AmqpLogSink(TestPluginContext.of("amqp", config));
            sinks.add(sink);
            return sink;
        } catch (io.runnel.api.plugin.PluginConfigException e) {
            throw new AssertionError(e);
        }
    }

    private static List<GetResponse> take(Channel channel, String queue, int count) {
        List<GetResponse> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            GetResponse next;
            while (got.size() < count && (next = channel.basicGet(queue, true)) != null) {
                got.add(next);
            }
            return got.size() == count;
        });
        return got;
    }

    private static Map<String, String> headers(GetResponse response) {
        Map<String, String> out = new HashMap<>();
        response.getProps().getHeaders().forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }
}
