package io.runnel.plugin.amqp;

import com.rabbitmq.client.Channel;
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
import org.pf4j.Extension;

/**
 * Publishes each record's JSON to an AMQP exchange, one persistent message per record, with publisher confirms:
 * {@link #publish} returns only once the broker has confirmed every message of the batch (for a durable queue that
 * means written to disk). A nack, a confirm that does not come within {@code confirm_timeout}, a lost or blocked
 * connection all make it throw, so the kernel offers the batch again: consumers may see a record twice (byte-identical)
 * and drop repeats by the record's id, type, recipient and num_attempts.
 */
@Extension
public final class AmqpLogSink implements LogSink, AutoCloseable {

    private final AmqpSinkConfig config;
    private final BrokerConnection broker;

    public AmqpLogSink(PluginContext context) throws PluginConfigException {
        this.config = AmqpSinkConfig.read(context.config(), context.home());
        try {
            this.broker = new BrokerConnection(config);
        } catch (IOException | GeneralSecurityException e) {
            throw context.config().error(config.caFile().isPresent() ? "tls_ca_file" : "uri",
                    "cannot set up TLS: " + e.getMessage());
        }
    }

    @Override
    public void publish(List<LogEvent> batch) throws IOException, TimeoutException, InterruptedException {
        Channel channel = broker.channel();
        try {
            for (LogEvent event : batch) {
                channel.basicPublish(config.exchange(), config.routingKey().render(event), false,
                        LogMessages.properties(event), event.json().getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(config.confirmTimeout().toMillis());
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
