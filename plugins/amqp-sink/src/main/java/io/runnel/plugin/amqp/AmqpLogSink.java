package io.runnel.plugin.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import io.runnel.api.log.LogEvent;
import io.runnel.api.log.LogSink;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.pf4j.Extension;

/**
 * Publishes each record's JSON to an AMQP exchange, one persistent message per record, with publisher confirms:
 * {@link #publish} returns only once the broker has confirmed every message of the batch (for a durable queue that
 * means written to disk). A nack, a confirm that does not come within {@code confirm_timeout}, a lost or blocked
 * connection, and (with {@code mandatory}, the default) a record that no queue takes all make it throw, so the
 * kernel offers the batch again: consumers may see a record twice (byte-identical) and drop repeats by a
 * hash of the record.
 */
@Extension
public final class AmqpLogSink implements LogSink, AutoCloseable {

    private final AmqpSinkConfig config;
    private final BrokerConnection broker;
    /** The first record of the current batch the broker returned as unroutable, if any. */
    private final AtomicReference<Return> unroutable = new AtomicReference<>();

    public AmqpLogSink(PluginContext context) throws PluginConfigException {
        this.config = AmqpSinkConfig.read(context.config(), context.home());
        try {
            this.broker = new BrokerConnection(config, returned -> unroutable.compareAndSet(null, returned));
        } catch (IOException | GeneralSecurityException e) {
            throw context.config().error(config.caFile().isPresent() ? "tls_ca_file" : "uri",
                    "cannot set up TLS: " + e.getMessage());
        }
    }

    @Override
    public void publish(List<LogEvent> batch) throws IOException, TimeoutException, InterruptedException {
        Channel channel = broker.channel();
        unroutable.set(null);
        try {
            for (LogEvent event : batch) {
                channel.basicPublish(config.exchange(), config.routingKey().render(event), config.mandatory(),
                        LogMessages.properties(event), event.json().getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(config.confirmTimeout().toMillis());
            // the broker sends a mandatory message's return before its confirm, so it has arrived by now
            Return returned = unroutable.get();
            if (returned != null) {
                throw new IOException("no queue took record " + returned.getProperties().getMessageId()
                        + " (exchange '" + returned.getExchange() + "', routing key '" + returned.getRoutingKey()
                        + "'): " + returned.getReplyCode() + " " + returned.getReplyText());
            }
        } catch (IOException | TimeoutException | InterruptedException | ShutdownSignalException e) {
            try {
                broker.discardChannel();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public int maxBatchSize() {
        return config.batchSize();
    }

    @Override
    public void close() {
        broker.close();
    }
}
