package io.runnel.plugin.kafka;

import io.runnel.api.log.LogEvent;
import io.runnel.api.log.LogSink;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.pf4j.Extension;

/**
 * Produces each record to one topic with an idempotent producer ({@code acks=all}), keyed by tenant. {@link
 * #publish} returns once every record of the batch is acknowledged by all in-sync replicas; a record the brokers
 * do not take within {@code delivery_timeout} makes it throw, and the kernel offers the batch again. So delivery
 * is at least once: a consumer drops repeats (byte-identical) by a hash of the record.
 * After a failure the producer is replaced, so a producer left in an
 * error state never blocks later batches.
 */
@Extension
public final class KafkaLogSink implements LogSink, AutoCloseable {

    private final KafkaSinkConfig config;
    private Producer<String, byte[]> producer;

    public KafkaLogSink(PluginContext context) throws PluginConfigException {
        this.config = KafkaSinkConfig.read(context.config());
        try {
            // no I/O yet: the producer connects on the first send; constructing it checks the properties now
            this.producer = newProducer();
        } catch (KafkaException e) {
            throw context.config().error("producer_properties",
                    e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage());
        }
    }

    @Override
    public synchronized void publish(List<LogEvent> batch) throws IOException, InterruptedException {
        if (producer == null) {
            producer = newProducer();
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        try {
            for (LogEvent event : batch) {
                Future<RecordMetadata> future = producer.send(LogRecords.of(config.topic(), event));
                if (future.isDone()) {
                    // a send that failed at once (no metadata within max.block.ms) ends the batch here: each
                    // later send would wait as long again
                    acknowledged(future, event);
                }
                sent.add(future);
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                acknowledged(sent.get(i), batch.get(i));
            }
        } catch (IOException | KafkaException e) {
            discardProducer();
            throw e;
        }
    }

    @Override
    public int maxBatchSize() {
        return config.batchSize();
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(config.deliveryTimeout());
            producer = null;
        }
    }

    private static void acknowledged(Future<RecordMetadata> future, LogEvent event)
            throws IOException, InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw new IOException("Kafka did not take the " + event.type().json() + " record of " + event.id()
                    + ": " + e.getCause(), e.getCause());
        }
    }

    private Producer<String, byte[]> newProducer() {
        // Kafka loads class-valued settings (reporters, partitioner, SASL callbacks) through the context class
        // loader; here that must be the plugin's own, which holds kafka-clients; its threads inherit it
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(KafkaLogSink.class.getClassLoader());
        try {
            return new KafkaProducer<>(config.producerProperties(), new StringSerializer(), new ByteArraySerializer());
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    /** Records of the failed batch still buffered are dropped: the kernel offers them again. */
    private void discardProducer() {
        producer.close(Duration.ZERO);
        producer = null;
    }
}
