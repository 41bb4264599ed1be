package io.runnel.kernel.smtp.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.runnel.kernel.trace.SessionEvent;
import io.runnel.kernel.trace.SessionTrace;
import io.runnel.kernel.trace.SessionTracer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Opens outbound SMTP connections (the Postfix {@code smtp} role) on the shared Netty event loops. Each connection
 * is bound to its egress source's address and greets with its EHLO name; see {@link ClientSessionConfig}.
 * Thread-safe; holds no per-connection state.
 */
public final class SmtpClient {

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final ClientTls tls;
    private final SessionTracer tracer;

    /** Verifying TLS policies check certificates against the JDK trust store. */
    public SmtpClient(EventLoopGroup group, Class<? extends SocketChannel> channelType) throws SSLException {
        this(group, channelType, Optional.empty());
    }

    /** Verifying TLS policies check certificates against {@code trust} instead of the JDK trust store. */
    public SmtpClient(EventLoopGroup group, Class<? extends SocketChannel> channelType, Optional<TrustManagerFactory> trust)
            throws SSLException {
        this(group, channelType, trust, new SessionTracer(Clock.systemUTC()));
    }

    /** With session events for {@code tracer}'s subscribers. */
    public SmtpClient(EventLoopGroup group, Class<? extends SocketChannel> channelType, Optional<TrustManagerFactory> trust,
                      SessionTracer tracer) throws SSLException {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.group = Objects.requireNonNull(group, "group");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        this.tls = new ClientTls(trust);
    }

    /**
     * Connects to {@code server}, reads the greeting, says EHLO (HELO when EHLO is refused with 5xx) and applies the
     * STARTTLS policy. Completes with a connection ready for {@link SmtpConnection#send}, or fails with an
     * {@link SmtpClientException}; the future completes on an event loop.
     *
     * @param serverName the MX host name: used for SNI and, with a verifying policy, matched against the certificate
     */
    public CompletableFuture<SmtpConnection> connect(InetSocketAddress server, String serverName, ClientSessionConfig config) {
        SessionTrace trace = new SessionTrace(tracer, SessionEvent.Direction.OUTBOUND);
        trace.domain(serverName);
        ClientChannelHandler session = new ClientChannelHandler(config.timeouts().banner(), trace);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.timeouts().connect().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ClientChannelInitializer(session));
        ChannelFuture connecting = config.bindAddress()
                .map(source -> bootstrap.connect(server, new InetSocketAddress(source, 0)))
                .orElseGet(() -> bootstrap.connect(server));
        CompletableFuture<SmtpConnection> result = new CompletableFuture<>();
        // Runs on the channel's loop before channelActive, so the greeting cannot arrive unobserved.
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause() instanceof ConnectTimeoutException
                        ? new SmtpClientException.Timeout(SmtpStage.CONNECT, config.timeouts().connect())
                        : new SmtpClientException.ConnectFailed(String.valueOf(f.cause().getMessage()), f.cause()));
                return;
            }
            new SmtpConnection(connecting.channel(), session, serverName, config, tls).open().whenComplete((connection, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(connection);
                }
            });
        });
        return result;
    }
}
