package io.runnel.plugin.amqp;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ReturnCallback;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The sink's one connection and its one confirm-mode channel, opened on first use. The client recovers a lost
 * connection in the background every {@code recovery_interval}; meanwhile {@link #channel()} fails fast instead of
 * waiting, and so does a connection the broker has blocked (memory or disk alarm), where a publish would otherwise
 * stall in a socket write. Thread-safe; the sink uses it from one thread, {@link #close()} may come from another.
 */
final class BrokerConnection implements AutoCloseable {

    private final AmqpSinkConfig config;
    private final ConnectionFactory factory;
    private final ReturnCallback returns;
    private volatile String blockedBecause;
    private Connection connection;
    private Channel channel;

    /** {@code returns} hears of every mandatory message the broker could not route, on every channel. */
    BrokerConnection(AmqpSinkConfig config, ReturnCallback returns) throws IOException, GeneralSecurityException {
        this.config = config;
        this.returns = returns;
        this.factory = factory(config);
    }

    /** The confirm-mode channel, opening the connection, the channel and (if configured) the exchange as needed. */
    synchronized Channel channel() throws IOException, TimeoutException {
        if (connection == null) {
            Connection opened = factory.newConnection("runnel-log-sink");
            opened.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    blockedBecause = reason;
                }

                @Override
                public void handleUnblocked() {
                    blockedBecause = null;
                }
            });
            opened.addShutdownListener(cause -> blockedBecause = null);
            connection = opened;
        }
        if (!connection.isOpen()) {
            throw new IOException("lost the connection to " + describe() + "; recovering in the background",
                    connection.getCloseReason());
        }
        String blocked = blockedBecause;
        if (blocked != null) {
            throw new IOException(describe() + " blocks publishing: " + blocked);
        }
        if (channel == null || !channel.isOpen()) {
            Channel opened = connection.createChannel();
            opened.addReturnListener(returns);
            opened.confirmSelect();
            if (config.declareExchange()) {
                opened.exchangeDeclare(config.exchange(), config.exchangeType(), true);
            }
            channel = opened;
        }
        return channel;
    }

    /**
     * Drops the channel after a failed publish: its unconfirmed messages are given up on (the kernel offers them
     * again), and the next channel starts its confirm numbering afresh.
     */
    synchronized void discardChannel() throws IOException {
        Channel dropped = channel;
        channel = null;
        if (dropped != null) {
            dropped.abort();
        }
    }

    String describe() {
        return "AMQP broker " + config.uri().getHost() + ":" + factory.getPort();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.abort((int) config.connectTimeout().toMillis());
            connection = null;
            channel = null;
        }
    }

    private static ConnectionFactory factory(AmqpSinkConfig config) throws IOException, GeneralSecurityException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(config.uri());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("uri was validated with the config: " + e.getMessage(), e);
        }
        config.username().ifPresent(factory::setUsername);
        config.password().ifPresent(factory::setPassword);
        if (config.tls()) {
            // replaces the trust-everything context setUri installs for amqps://
            factory.useSslProtocol(sslContext(config));
            factory.enableHostnameVerification();
        }
        int connectMillis = (int) config.connectTimeout().toMillis();
        factory.setConnectionTimeout(connectMillis);
        factory.setHandshakeTimeout(connectMillis);
        factory.setChannelRpcTimeout(connectMillis);
        factory.setShutdownTimeout(connectMillis);
        factory.setRequestedHeartbeat((int) config.heartbeat().toSeconds());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(config.recoveryInterval().toMillis());
        factory.setThreadFactory(daemonThreads());
        return factory;
    }

    private static SSLContext sslContext(AmqpSinkConfig config) throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (config.caFile().isPresent()) {
            trust.init(trustStore(config.caFile().get()));
        } else {
            trust.init((KeyStore) null);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore trustStore(Path pemFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pemFile)) {
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new GeneralSecurityException("no certificate in " + pemFile);
            }
        }
        return store;
    }

    /** The client's I/O and recovery threads must not keep the daemon's JVM alive. */
    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "amqp-log-sink-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
