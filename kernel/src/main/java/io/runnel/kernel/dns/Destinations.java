package io.runnel.kernel.dns;

import io.netty.util.NetUtil;
import io.runnel.api.dns.DnsLookupException;
import io.runnel.api.dns.DnsResolver;
import io.runnel.api.dns.MxAnswer;
import io.runnel.api.dns.MxAnswer.MxRecord;
import io.runnel.kernel.config.RouteConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns a recipient domain into the hosts to deliver to (Postfix's smtp MX step plus its transport maps): a
 * configured route wins; otherwise the domain's MX hosts by preference, or the domain itself when it has no MX.
 * Safe for concurrent use; never blocks.
 */
public final class Destinations {


    private final DnsResolver dns;
    private final Supplier<Routes> routes;
    private final IntSupplier smtpPort;

    Destinations(DnsResolver dns, Routes routes, int smtpPort) {
        this(dns, () -> routes, () -> smtpPort);
    }

    /** Routes and the MX port read per lookup: they follow configuration reloads. */
    Destinations(DnsResolver dns, Supplier<Routes> routes, IntSupplier smtpPort) {
        this.dns = dns;
        this.routes = routes;
        this.smtpPort = smtpPort;
    }

    /**
     * The plan for {@code domain}. Completes with a {@link PlanFailure} for a null MX (556 5.1.10), a domain that does
     * not exist (550 5.1.2) and a DNS failure or timeout (451 4.4.3); completes exceptionally only on a bug.
     */
    public CompletionStage<PlanResult> plan(String domain) {
        String d = DnsMessages.normalize(domain);
        Optional<String> literal = addressLiteral(d);
        if (literal.isPresent()) {
            return CompletableFuture.completedFuture(new DeliveryPlan(d, List.of(new HostCandidate(literal.get(), smtpPort.getAsInt()))));
        }
        Optional<RouteConfig> route = routes.get().match(d);
        if (route.isPresent()) {
            return CompletableFuture.completedFuture(routed(route.get()));
        }
        return dns.mx(d).handle((answer, failure) -> failure == null ? fromMx(d, answer) : fromFailure(d, failure));
    }

    /**
     * The addresses of {@code host} for one attempt, IPv4 first; empty when it has none. Fails with
     * {@link DnsLookupException}, which {@link DnsReplies#replyFor} turns into a reply.
     */
    public CompletionStage<List<InetSocketAddress>> addresses(HostCandidate host) {
        return dns.addresses(host.host()).thenApply(list -> list.stream()
                .map(address -> new InetSocketAddress(address, host.port()))
                .toList());
    }

    private static DeliveryPlan routed(RouteConfig route) {
        List<HostCandidate> hosts = route.hosts().stream().map(h -> new HostCandidate(h.name(), h.port())).toList();
        return new DeliveryPlan(DeliveryPlan.ROUTE_PREFIX + hosts.stream().map(HostCandidate::toString).collect(Collectors.joining(",")), hosts);
    }

    private PlanResult fromMx(String domain, MxAnswer answer) {
        if (answer.nullMx()) {
            return new PlanFailure(domain, DnsReplies.nullMx(domain));
        }
        if (answer.records().isEmpty()) { // RFC 5321 5.1: the domain is its own implicit MX
            return new DeliveryPlan(domain, List.of(new HostCandidate(domain, smtpPort.getAsInt())));
        }
        List<String> hosts = answer.records().stream().map(MxRecord::host).distinct().toList();
        String site = hosts.stream().sorted().collect(Collectors.joining(","));
        return new DeliveryPlan(site, hosts.stream().map(h -> new HostCandidate(h, smtpPort.getAsInt())).toList());
    }

    private static PlanResult fromFailure(String domain, Throwable failure) {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (cause instanceof DnsLookupException e) {
            return new PlanFailure(domain, DnsReplies.replyFor(e));
        }
        throw failure instanceof CompletionException c ? c : new CompletionException(cause);
    }

    /** {@code [192.0.2.1]} or {@code [ipv6:2001:db8::1]} (RFC 5321 4.1.3): deliver to that address, no DNS. */
    private static Optional<String> addressLiteral(String domain) {
        if (!domain.startsWith("[") || !domain.endsWith("]")) {
            return Optional.empty();
        }
        String inner = domain.substring(1, domain.length() - 1);
        if (inner.startsWith("ipv6:") && NetUtil.isValidIpV6Address(inner.substring(5))) {
            return Optional.of(inner.substring(5));
        }
        return NetUtil.isValidIpV4Address(inner) ? Optional.of(inner) : Optional.empty();
    }
}
