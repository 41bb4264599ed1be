package io.runnel.kernel.delivery;

import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.boot.EventLoops;
import io.runnel.kernel.config.EgressSource;
import io.runnel.kernel.dns.DeliveryPlan;
import io.runnel.kernel.dns.Destinations;
import io.runnel.kernel.dns.HostCandidate;
import io.runnel.kernel.shaping.EgressPath;
import io.runnel.kernel.smtp.client.ClientSessionConfig;
import io.runnel.kernel.smtp.client.SmtpClient;
import io.runnel.kernel.smtp.client.SmtpConnection;
import io.runnel.kernel.smtp.client.TlsPolicy;
import io.runnel.kernel.trace.SessionTracer;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * Opens a connection to a site for an egress source: the site's hosts in order (MX preference or the route's
 * order), each host's addresses in order, until one answers. Fails with the last host's error when none does.
 */
public final class Connector {

    private static final SmtpReply NO_ADDRESS = SmtpReply.of(451, "4.4.4", "No address for any host of the destination");

    private final Destinations destinations;
    private final EventLoops loops;
    private final SessionTracer tracer;
    private SmtpClient client;

    @Inject
    public Connector(Destinations destinations, EventLoops loops, SessionTracer tracer) {
        this.destinations = destinations;
        this.tracer = tracer;
        this.loops = loops;
    }

    /** Builds the client on the running event loops; called by the delivery engine's start. */
    void start() throws SSLException {
        client = new SmtpClient(loops.workers(), loops.clientChannelType(), Optional.empty(), tracer);
    }

    /**
     * Completes with an open session, or exceptionally with the last host's {@code SmtpClientException}
     * ({@link DestinationUnreachable} when no host had an address).
     */
    CompletableFuture<SmtpConnection> connect(DeliveryPlan plan, EgressSource source, EgressPath path) {
        ClientSessionConfig session = new ClientSessionConfig(path.ehloDomain().orElse(source.ehloName()),
                source.bindAddress(), TlsPolicy.valueOf(path.tls().name()), path.timeouts());
        CompletableFuture<SmtpConnection> result = new CompletableFuture<>();
        tryHost(hosts(plan, path), 0, session, result, new DestinationUnreachable(NO_ADDRESS));
        return result;
    }

    /** A site's MX hosts on the path's {@code smtp_port}; a route's hosts keep the ports the route gives. */
    private static List<HostCandidate> hosts(DeliveryPlan plan, EgressPath path) {
        if (plan.routed()) {
            return plan.hosts();
        }
        return plan.hosts().stream().map(h -> new HostCandidate(h.host(), path.smtpPort())).toList();
    }

    private void tryHost(List<HostCandidate> hosts, int index, ClientSessionConfig session,
                         CompletableFuture<SmtpConnection> result, Throwable last) {
        if (index >= hosts.size()) {
            result.completeExceptionally(last);
            return;
        }
        HostCandidate host = hosts.get(index);
        destinations.addresses(host).whenComplete((addresses, lookupFailure) -> {
            if (lookupFailure != null || addresses.isEmpty()) {
                tryHost(hosts, index + 1, session, result, last);
                return;
            }
            tryAddress(new ArrayList<>(addresses), 0, host.host(), session, result, last,
                    failure -> tryHost(hosts, index + 1, session, result, failure));
        });
    }

    private void tryAddress(List<InetSocketAddress> addresses, int index, String hostName, ClientSessionConfig session,
                            CompletableFuture<SmtpConnection> result, Throwable last, Consumer<Throwable> next) {
        if (index >= addresses.size()) {
            next.accept(last);
            return;
        }
        client.connect(addresses.get(index), hostName, session).whenComplete((connection, failure) -> {
            if (failure == null) {
                result.complete(connection);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                tryAddress(addresses, index + 1, hostName, session, result, cause, next);
            }
        });
    }

}
