package io.runnel.kernel.dns;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.api.dns.DnsLookupException;
import io.runnel.api.dns.DnsLookupException.Kind;
import io.runnel.api.dns.DnsResolver;
import io.runnel.api.dns.MxAnswer;
import io.runnel.api.dns.MxAnswer.MxRecord;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.DnsConfig;
import io.runnel.kernel.metrics.DnsMetrics;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's {@link DnsResolver}: raw MX, A, AAAA and TXT queries through Netty's {@link DnsNameResolver} to the
 * configured recursive name servers, on one event loop of its own, with a {@link DnsCache} per record type. Netty's
 * own caches are not used: the RCODE and TTL of every answer must reach our cache and our error kinds.
 *
 * <p>Stages complete on the resolver's event loop (or on the caller's thread for cache hits): dependents must not
 * block.
 */
public final class NettyDnsResolver implements DnsResolver, Service {

    private static final Logger log = LoggerFactory.getLogger(NettyDnsResolver.class);
    private static final int CACHE_ENTRIES = 100_000;

    private final DnsConfig config;
    private final RandomGenerator random;
    private final DnsMetrics metrics;
    private final DnsCache<MxAnswer> mxCache;
    private final DnsCache<List<InetAddress>> aCache;
    private final DnsCache<List<InetAddress>> aaaaCache;
    private final DnsCache<List<String>> txtCache;
    private volatile EventLoopGroup loop;
    private volatile DnsNameResolver netty;
    private volatile List<InetSocketAddress> servers = List.of();

    @Inject
    public NettyDnsResolver(DnsConfig config, Clock clock, RandomGenerator random, DnsMetrics metrics) {
        this.config = config;
        this.random = random;
        this.metrics = metrics;
        this.mxCache = new DnsCache<>(clock, config, CACHE_ENTRIES);
        this.aCache = new DnsCache<>(clock, config, CACHE_ENTRIES);
        this.aaaaCache = new DnsCache<>(clock, config, CACHE_ENTRIES);
        this.txtCache = new DnsCache<>(clock, config, CACHE_ENTRIES);
    }

    @Override
    public int phase() {
        return Phases.DNS;
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public void start() {
        servers = config.nameServers().isEmpty() ? DefaultDnsServerAddressStreamProvider.defaultAddressList() : config.nameServers();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dns"), io);
        netty = new DnsNameResolverBuilder(loop.next())
                .datagramChannelType(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .socketChannelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class) // TCP retry of truncated answers
                .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
                .queryTimeoutMillis(config.timeout().toMillis())
                .recursionDesired(true)
                .build();
        log.atInfo().addKeyValue("name_servers", servers).log("dns resolver started");
    }

    @Override
    public void stop(Duration grace) {
        DnsNameResolver n = netty;
        if (n != null) {
            n.close();
        }
        EventLoopGroup l = loop;
        if (l != null) {
            l.shutdownGracefully(0, grace.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
        }
    }

    @Override
    public CompletionStage<MxAnswer> mx(String domain) {
        return mxCache.get(DnsMessages.normalize(domain),
                        name -> query(name, DnsRecordType.MX, DnsMessages::mx, new MxAnswer(List.of(), false)))
                .thenApply(this::shuffleTies);
    }

    @Override
    public CompletionStage<List<InetAddress>> addresses(String host) {
        String name = DnsMessages.normalize(host);
        if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
            return CompletableFuture.completedFuture(List.of(literal(name)));
        }
        CompletableFuture<List<InetAddress>> v4 = aCache.get(name, n -> addressQuery(n, DnsRecordType.A)).toCompletableFuture();
        CompletableFuture<List<InetAddress>> v6 = aaaaCache.get(name, n -> addressQuery(n, DnsRecordType.AAAA)).toCompletableFuture();
        // both halves settle first, so one failing never hides the other's addresses
        return v4.handle(AddressMerge.Half::new)
                .thenCombine(v6.handle(AddressMerge.Half::new), AddressMerge::merge)
                .thenCompose(Function.identity());
    }

    @Override
    public CompletionStage<List<String>> txt(String name) {
        return txtCache.get(DnsMessages.normalize(name),
                n -> query(n, DnsRecordType.TXT, records -> records.stream().map(DnsMessages::txt).toList(), List.of()));
    }

    private CompletionStage<QueryOutcome<List<InetAddress>>> addressQuery(String name, DnsRecordType type) {
        return query(name, type, records -> records.stream().map(r -> DnsMessages.address(name, r)).toList(), List.of());
    }

    /** RFC 5321 5.1: hosts of equal preference are tried in random order, so load spreads across them. */
    private MxAnswer shuffleTies(MxAnswer answer) {
        List<MxRecord> out = new ArrayList<>(answer.records());
        int start = 0;
        while (start < out.size()) {
            int end = start;
            while (end < out.size() && out.get(end).preference() == out.get(start).preference()) {
                end++;
            }
            for (int i = end - 1; i > start; i--) { // Fisher-Yates within [start, end)
                int j = start + random.nextInt(i - start + 1);
                out.set(i, out.set(j, out.get(i)));
            }
            start = end;
        }
        return new MxAnswer(out, answer.nullMx());
    }

    /** Asks the name servers in order; the next one only on timeout or server failure. */
    private <V> CompletionStage<QueryOutcome<V>> query(String name, DnsRecordType type, Function<List<DnsRawRecord>, V> parse, V empty) {
        DnsNameResolver n = netty;
        if (n == null) {
            throw new IllegalStateException("the DNS resolver is not started");
        }
        CompletableFuture<QueryOutcome<V>> result = new CompletableFuture<>();
        result.whenComplete(metrics.query(type.name()));
        ask(n, 0, name, type, parse, empty, result);
        return result;
    }

    private <V> void ask(DnsNameResolver n, int server, String name, DnsRecordType type,
                         Function<List<DnsRawRecord>, V> parse, V empty, CompletableFuture<QueryOutcome<V>> result) {
        n.query(servers.get(server), new DefaultDnsQuestion(name, type)).addListener(done -> {
            DnsLookupException failure;
            if (done.isSuccess()) {
                @SuppressWarnings("unchecked")
                AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = (AddressedEnvelope<DnsResponse, InetSocketAddress>) done.getNow();
                try {
                    Optional<QueryOutcome<V>> outcome = outcome(envelope.content(), type, parse, empty);
                    if (outcome.isPresent()) {
                        result.complete(outcome.get());
                        return;
                    }
                    failure = new DnsLookupException(Kind.SERVER_FAILURE, name, type + " "
                            + (envelope.content().isTruncated() ? "truncated answer" : envelope.content().code()), null);
                } catch (RuntimeException e) { // a malformed answer is that server's failure, not ours
                    failure = new DnsLookupException(Kind.SERVER_FAILURE, name, type + " malformed answer", e);
                } finally {
                    envelope.release();
                }
            } else if (done.cause() instanceof DnsNameResolverTimeoutException) {
                failure = new DnsLookupException(Kind.TIMEOUT, name, type + " query timed out", done.cause());
            } else {
                failure = new DnsLookupException(Kind.SERVER_FAILURE, name, type + " query failed", done.cause());
            }
            if (server + 1 < servers.size()) {
                ask(n, server + 1, name, type, parse, empty, result);
            } else {
                result.completeExceptionally(failure);
            }
        });
    }

    /**
     * The cacheable outcome of a response; empty for RCODEs that say "ask someone else" (SERVFAIL, REFUSED, ...) and
     * for a truncated answer: Netty hands one over only when the retry over TCP failed, and its records (often none)
     * are not the whole answer, so believing it would turn a partial or empty list into a cached "no MX" or "no
     * address".
     */
    private static <V> Optional<QueryOutcome<V>> outcome(DnsResponse response, DnsRecordType type,
                                                         Function<List<DnsRawRecord>, V> parse, V empty) {
        if (response.isTruncated()) {
            return Optional.empty();
        }
        if (response.code().equals(DnsResponseCode.NXDOMAIN)) {
            return Optional.of(new QueryOutcome.NxDomain<>(DnsMessages.negativeTtl(response)));
        }
        if (!response.code().equals(DnsResponseCode.NOERROR)) {
            return Optional.empty();
        }
        List<DnsRawRecord> records = DnsMessages.answers(response, type);
        if (records.isEmpty()) {
            return Optional.of(new QueryOutcome.NoData<>(empty, DnsMessages.negativeTtl(response)));
        }
        return Optional.of(new QueryOutcome.Answer<>(parse.apply(records), DnsMessages.minTtl(records)));
    }

    private static InetAddress literal(String ip) {
        return NetUtil.createInetAddressFromIpAddressString(ip);
    }
}
