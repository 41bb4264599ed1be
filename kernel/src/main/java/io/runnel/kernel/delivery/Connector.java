package io.runnel.kernel.delivery;

import io.runnel.api.dns.DnsLookupException;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.boot.EventLoops;
import io.runnel.kernel.config.EgressSource;
import io.runnel.kernel.dns.DeliveryPlan;
import io.runnel.kernel.dns.Destinations;
import io.runnel.kernel.dns.DnsReplies;
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
 * order), each host's addresses in order, until one answers. When none does, fails with the reason Postfix's smtp
 * would give: the last connection error when some host had an address; else a DNS failure while looking a host up
 * (a soft error dominates: asking again may find an address); else, when every MX host (or the domain, as its own
 * implicit MX) is known to have no address, a permanent 550 5.4.4 (RFC 5321 5.1: no usable MX "MUST be reported as
 * an error"). A route's hosts without an address stay a transient 451 4.4.4: an operator's typo should not bounce.
 */
public final class Connector {

    private static final SmtpReply LOOKUP_FAILED = SmtpReply.of(451, "4.4.3", "Destination lookup failed");
    private static final SmtpReply ROUTE_WITHOUT_ADDRESS = SmtpReply.of(451, "4.4.4", "No address for any host of the destination");

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
     * ({@link DestinationUnreachable} when no host could be tried).
     */
    CompletableFuture<SmtpConnection> connect(DeliveryPlan plan, EgressSource source, EgressPath path) {
        ClientSessionConfig session = new ClientSessionConfig(path.ehloDomain().orElse(source.ehloName()),
                source.bindAddress(), TlsPolicy.valueOf(path.tls().name()), path.timeouts(), path.chunking());
        CompletableFuture<SmtpConnection> result = new CompletableFuture<>();
        SmtpReply noAddress = plan.routed() ? ROUTE_WITHOUT_ADDRESS : DnsReplies.noAddress(plan.site());
        tryHost(hosts(plan, path), 0, session, result, new Tried(Optional.empty(), Optional.empty(), noAddress));
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
                         CompletableFuture<SmtpConnection> result, Tried tried) {
        if (index >= hosts.size()) {
            result.completeExceptionally(tried.failure());
            return;
        }
        HostCandidate host = hosts.get(index);
        destinations.addresses(host).whenComplete((addresses, lookupFailure) -> {
            if (lookupFailure != null) {
                tryHost(hosts, index + 1, session, result, tried.lookupFailed(lookupFailure));
                return;
            }
            if (addresses.isEmpty()) {
                tryHost(hosts, index + 1, session, result, tried);
                return;
            }
            tryAddress(new ArrayList<>(addresses), 0, host.host(), session, result, tried,
                    after -> tryHost(hosts, index + 1, session, result, after));
        });
    }

    private void tryAddress(List<InetSocketAddress> addresses, int index, String hostName, ClientSessionConfig session,
                            CompletableFuture<SmtpConnection> result, Tried tried, Consumer<Tried> next) {
        if (index >= addresses.size()) {
            next.accept(tried);
            return;
        }
        client.connect(addresses.get(index), hostName, session).whenComplete((connection, failure) -> {
            if (failure == null) {
                result.complete(connection);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                tryAddress(addresses, index + 1, hostName, session, result, tried.connectionFailed(cause), next);
            }
        });
    }

    /**
     * What the hosts tried so far came to: the last connection error, the first DNS failure that asking again may
     * cure, and the reply for "no host has an address".
     */
    private record Tried(Optional<Throwable> connection, Optional<SmtpReply> lookup, SmtpReply noAddress) {

        Tried connectionFailed(Throwable cause) {
            return new Tried(Optional.of(cause), lookup, noAddress);
        }

        /** NXDOMAIN for a host is "no address"; any other failure is transient. */
        Tried lookupFailed(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof DnsLookupException e && e.isPermanent()) {
                return this;
            }
            SmtpReply reply = cause instanceof DnsLookupException e ? DnsReplies.replyFor(e) : LOOKUP_FAILED;
            return new Tried(connection, lookup.or(() -> Optional.of(reply)), noAddress);
        }

        Throwable failure() {
            return connection.orElseGet(() -> new DestinationUnreachable(lookup.orElse(noAddress)));
        }
    }
}
