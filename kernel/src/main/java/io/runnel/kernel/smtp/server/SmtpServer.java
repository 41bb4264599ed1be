package io.runnel.kernel.smtp.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.runnel.kernel.anvil.Anvil;
import io.runnel.kernel.anvil.AuthFailures;
import io.runnel.kernel.auth.CredentialVerifier;
import io.runnel.kernel.boot.LogGate;
import io.runnel.kernel.boot.EventLoops;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.ListenerConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.ingest.Reception;
import io.runnel.kernel.metrics.ReceptionMetrics;
import io.runnel.kernel.spool.SpoolRoom;
import io.runnel.kernel.tls.ListenerCertificates;
import io.runnel.kernel.tls.ServerTls;
import io.runnel.kernel.trace.SessionTracer;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds every configured listener (Postfix smtpd). Stopping closes the listening sockets first, then sessions. */
public final class SmtpServer implements Service {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);
    private static final Duration SPOOL_FAILURE_LOG_EVERY = Duration.ofSeconds(10);

    private final RunnelConfig config;
    private final EventLoops loops;
    private final Reception reception;
    private final CredentialVerifier credentials;
    private final Clock clock;
    private final ReceptionMetrics metrics;
    private final SessionTracer tracer;
    private final ListenerCertificates certificates;
    private final SpoolRoom room;
    private final List<Channel> bound = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final Map<String, ConnectionLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, ListenerContext> contexts = new ConcurrentHashMap<>();

    @Inject
    public SmtpServer(RunnelConfig config, EventLoops loops, Reception reception, CredentialVerifier credentials, Clock clock,
                      ReceptionMetrics metrics, SessionTracer tracer, ListenerCertificates certificates, SpoolRoom room) {
        this.config = config;
        this.loops = loops;
        this.reception = reception;
        this.credentials = credentials;
        this.clock = clock;
        this.metrics = metrics;
        this.tracer = tracer;
        this.certificates = certificates;
        this.room = room;
    }

    @Override
    public int phase() {
        return Phases.LISTENERS;
    }

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public void start() throws Exception {
        for (ListenerConfig listener : config.listeners()) {
            Optional<ServerTls> tls = ServerTls.forListener(listener, config.server(), clock);
            tls.ifPresent(certificates::register);
            Anvil anvil = new Anvil(listener.clients());
            AuthFailures authFailures = new AuthFailures(listener.clients().auth(), listener.clients().trackingLimit());
            ListenerContext context = new ListenerContext(listener, config.server(), tls, reception, credentials, metrics,
                    tracer, anvil, authFailures, clock, room, new LogGate(SPOOL_FAILURE_LOG_EVERY));
            ConnectionLimiter limiter = new ConnectionLimiter(listener.limits().maxConnections(),
                    SmtpReplies.tooManyConnections(listener.hostname()));
            limiters.put(listener.name(), limiter);
            contexts.put(listener.name(), context);
            ClientConnectionGuard clients = new ClientConnectionGuard(anvil, clock, listener.hostname());
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(loops.acceptors(), loops.workers())
                    .channel(loops.serverChannelType())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new SmtpChannelInitializer(context, limiter, clients));
            Channel channel;
            try {
                channel = bootstrap.bind(listener.bind()).sync().channel();
            } catch (Exception e) {
                throw new IllegalStateException("listener " + listener.name() + ": cannot bind " + listener.bind() + ": " + e.getMessage(), e);
            }
            bound.add(channel);
            addresses.add((InetSocketAddress) channel.localAddress());
            log.atInfo().addKeyValue("listener", listener.name()).addKeyValue("bind", channel.localAddress())
                    .addKeyValue("tls", listener.tls()).log("listening");
        }
    }

    /** The addresses actually bound, in config order (a port of 0 in the config becomes a real one here). */
    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(addresses);
    }

    /** SMTP sessions open on all listeners. */
    public int openSessions() {
        return limiters.values().stream().mapToInt(ConnectionLimiter::active).sum();
    }

    /** Closes the listening sockets (drain before a shutdown); sessions already open go on until they end. */
    public void stopAccepting(Duration grace) {
        for (Channel channel : bound) {
            channel.close().awaitUninterruptibly(grace.toMillis());
        }
        log.atInfo().log("listeners closed: no new sessions accepted");
    }

    /** Open SMTP sessions of the listener named {@code listener}; 0 before it listens. */
    public int activeSessions(String listener) {
        ConnectionLimiter limiter = limiters.get(listener);
        return limiter == null ? 0 : limiter.active();
    }

    /** Client addresses the listener named {@code listener} keeps rate and AUTH failure state for; 0 before it listens. */
    public int trackedClients(String listener) {
        ListenerContext context = contexts.get(listener);
        return context == null ? 0 : context.anvil().trackedClients() + context.authFailures().tracked();
    }

    @Override
    public void stop(Duration grace) {
        for (Channel channel : bound) {
            channel.close().awaitUninterruptibly(grace.toMillis());
        }
        bound.clear();
        addresses.clear();
        limiters.clear();
        contexts.clear();
        certificates.clear();
    }
}
