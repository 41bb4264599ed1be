package io.runnel.kernel.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.kernel.config.DnsConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authoritative DNS server on a free 127.0.0.1 UDP port, fed zone data by the test (KumoMTA's TestResolver, over
 * a real socket). Names without records answer NXDOMAIN; names with records of other types answer an empty
 * NOERROR. Counts queries per name and type, so tests can prove what the cache saved.
 */
public final class TestDnsServer implements AutoCloseable {

    static final long DEFAULT_TTL = 300;
    private static final String DECODER = "decoder";

    private enum Mode { NXDOMAIN, SERVFAIL, DROP, FAULT }

    /**
     * Broken answers a name server (or someone spoofing one) may send instead of the right one. Each keeps the
     * query's transaction ID unless it says otherwise, so the resolver cannot just discard it as unrelated.
     */
    public enum Fault {
        /** The ID, then bytes that are no DNS message (every count 0xFFFF). */
        GARBAGE,
        /** The right answer cut off in the middle of its first record. */
        CUT_SHORT,
        /** The TC bit and no records, as a server whose answer does not fit UDP sends; nothing listens on TCP. */
        TRUNCATED,
        /** The right answer under another transaction ID. */
        WRONG_ID,
        /** An answer under the right ID to a question for another name. */
        WRONG_QUESTION
    }

    private record Rr(DnsRecordType type, long ttl, byte[] rdata) {
    }

    private final Map<String, List<Rr>> records = new ConcurrentHashMap<>();
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    private final Map<String, long[]> soas = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private final Channel channel;

    private TestDnsServer(int port) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-dns"), NioIoHandler.newFactory());
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(DECODER, new DatagramDnsQueryDecoder());
                        ch.pipeline().addLast(new DatagramDnsResponseEncoder(), new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    public static TestDnsServer start() throws InterruptedException {
        return new TestDnsServer(0);
    }

    /** A server on a given UDP port of 127.0.0.1: a name server that comes back where the resolver expects it. */
    public static TestDnsServer start(int port) throws InterruptedException {
        return new TestDnsServer(port);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** A resolver config asking only this server, with the given query timeout and the default cache bounds. */
    public DnsConfig config(Duration timeout) {
        DnsConfig d = DnsConfig.defaults();
        return new DnsConfig(List.of(address()), timeout, d.minTtl(), d.maxTtl(), d.negativeTtl());
    }

    public TestDnsServer mx(String domain, int preference, String host) {
        return mx(domain, preference, host, DEFAULT_TTL);
    }

    public TestDnsServer mx(String domain, int preference, String host, long ttl) {
        ByteBuf rdata = Unpooled.buffer().writeShort(preference);
        writeName(rdata, host);
        return add(domain, DnsRecordType.MX, ttl, rdata);
    }

    /** RFC 7505: one MX, preference 0, host ".". */
    public TestDnsServer nullMx(String domain) {
        return add(domain, DnsRecordType.MX, DEFAULT_TTL, Unpooled.buffer().writeShort(0).writeByte(0));
    }

    public TestDnsServer a(String host, String ipv4) {
        return a(host, ipv4, DEFAULT_TTL);
    }

    public TestDnsServer a(String host, String ipv4, long ttl) {
        return add(host, DnsRecordType.A, ttl, Unpooled.wrappedBuffer(NetUtil.createByteArrayFromIpAddressString(ipv4)));
    }

    public TestDnsServer aaaa(String host, String ipv6) {
        return aaaa(host, ipv6, DEFAULT_TTL);
    }

    public TestDnsServer aaaa(String host, String ipv6, long ttl) {
        return add(host, DnsRecordType.AAAA, ttl, Unpooled.wrappedBuffer(NetUtil.createByteArrayFromIpAddressString(ipv6)));
    }

    /** One TXT record made of these character-strings. */
    public TestDnsServer txt(String name, String... strings) {
        ByteBuf rdata = Unpooled.buffer();
        for (String s : strings) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            rdata.writeByte(bytes.length).writeBytes(bytes);
        }
        return add(name, DnsRecordType.TXT, DEFAULT_TTL, rdata);
    }

    /** Negative answers for names at or under {@code zone} carry its SOA, with this TTL and MINIMUM. */
    public TestDnsServer soa(String zone, long ttl, long minimum) {
        soas.put(key(zone), new long[] {ttl, minimum});
        return this;
    }

    public TestDnsServer nxdomain(String name) {
        return mode(name, Mode.NXDOMAIN);
    }

    public TestDnsServer servfail(String name) {
        return mode(name, Mode.SERVFAIL);
    }

    /** Only queries of {@code type} for {@code name} fail with SERVFAIL. */
    public TestDnsServer servfail(String name, DnsRecordType type) {
        modes.put(key(name) + " " + type.name(), Mode.SERVFAIL);
        return this;
    }

    /** Queries for {@code name} get no answer at all: the resolver times out. */
    public TestDnsServer noAnswer(String name) {
        return mode(name, Mode.DROP);
    }

    /** Queries for {@code name} (every type) get {@code fault} instead of their answer. */
    public TestDnsServer fault(String name, Fault fault) {
        faults.put(key(name), fault);
        return mode(name, Mode.FAULT);
    }

    /** Forgets everything about {@code name}: records and modes. */
    public TestDnsServer clear(String name) {
        records.remove(key(name));
        modes.remove(key(name));
        faults.remove(key(name));
        return this;
    }

    /** Answers {@code name} normally again (its records stay). */
    public TestDnsServer heal(String name) {
        String k = key(name);
        modes.keySet().removeIf(m -> m.equals(k) || m.startsWith(k + " "));
        faults.remove(k);
        return this;
    }

    /** Queries received for {@code name}, all types. */
    public int queries(String name) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(key(name) + " "))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    public int queries(String name, DnsRecordType type) {
        AtomicInteger n = counts.get(key(name) + " " + type.name());
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TestDnsServer add(String name, DnsRecordType type, long ttl, ByteBuf rdata) {
        byte[] bytes = new byte[rdata.readableBytes()];
        rdata.readBytes(bytes);
        rdata.release();
        records.computeIfAbsent(key(name), k -> new CopyOnWriteArrayList<>()).add(new Rr(type, ttl, bytes));
        return this;
    }

    private TestDnsServer mode(String name, Mode mode) {
        modes.put(key(name), mode);
        return this;
    }

    private static String key(String name) {
        return DnsMessages.normalize(name);
    }

    private static void writeName(ByteBuf out, String name) {
        for (String label : key(name).split("\\.")) {
            if (!label.isEmpty()) {
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                out.writeByte(bytes.length).writeBytes(bytes);
            }
        }
        out.writeByte(0);
    }

    private Optional<long[]> soaFor(String name) {
        for (String n = name; ; n = n.substring(n.indexOf('.') + 1)) {
            long[] soa = soas.get(n);
            if (soa != null) {
                return Optional.of(soa);
            }
            if (n.indexOf('.') < 0) {
                return Optional.empty();
            }
        }
    }

    private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String name = key(question.name());
            counts.computeIfAbsent(name + " " + question.type().name(), k -> new AtomicInteger()).incrementAndGet();
            Mode mode = modes.getOrDefault(name + " " + question.type().name(), modes.get(name));
            if (mode == Mode.DROP) {
                return;
            }
            if (mode == Mode.FAULT) {
                sendFault(ctx, query, question, faults.get(name));
                return;
            }
            ctx.writeAndFlush(answer(query, question, query.id(), question));
        }

        private DatagramDnsResponse answer(DatagramDnsQuery query, DnsQuestion question, int id, DnsQuestion asked) {
            String name = key(question.name());
            Mode mode = modes.getOrDefault(name + " " + question.type().name(), modes.get(name));
            List<Rr> all = records.getOrDefault(name, List.of());
            DnsResponseCode code = mode == Mode.SERVFAIL ? DnsResponseCode.SERVFAIL
                    : mode == Mode.NXDOMAIN || all.isEmpty() ? DnsResponseCode.NXDOMAIN : DnsResponseCode.NOERROR;
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), id, DnsOpCode.QUERY, code);
            response.setAuthoritativeAnswer(true).setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(asked.name(), asked.type()));
            int answers = 0;
            if (code == DnsResponseCode.NOERROR) {
                for (Rr rr : all) {
                    if (rr.type().equals(question.type())) {
                        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), rr.type(), rr.ttl(), Unpooled.wrappedBuffer(rr.rdata())));
                        answers++;
                    }
                }
            }
            if (answers == 0 && code != DnsResponseCode.SERVFAIL) {
                soaFor(name).ifPresent(soa -> response.addRecord(DnsSection.AUTHORITY, soaRecord(name, soa)));
            }
            return response;
        }

        /** Writes raw bytes from the decoder's place in the pipeline, so the response encoder is skipped. */
        private void sendFault(ChannelHandlerContext ctx, DatagramDnsQuery query, DnsQuestion question, Fault fault) {
            ByteBuf out = switch (fault) {
                case GARBAGE -> Unpooled.buffer().writeShort(query.id()).writeShort(0xFFFF).writeShort(0xFFFF)
                        .writeShort(0xFFFF).writeShort(0xFFFF).writeShort(0xFFFF).writeBytes(new byte[32]);
                case CUT_SHORT -> {
                    ByteBuf whole = encode(answer(query, question, query.id(), question));
                    int questionEnd = 12 + question.name().length() + 1 + 4; // header, name in labels, type, class
                    yield whole.writerIndex(Math.min(whole.writerIndex(), questionEnd + 6));
                }
                case TRUNCATED -> {
                    DatagramDnsResponse tc = new DatagramDnsResponse(query.recipient(), query.sender(), query.id(),
                            DnsOpCode.QUERY, DnsResponseCode.NOERROR);
                    tc.setTruncated(true).setRecursionAvailable(true);
                    tc.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
                    yield encode(tc);
                }
                case WRONG_ID -> encode(answer(query, question, (query.id() + 1) & 0xFFFF, question));
                case WRONG_QUESTION -> encode(answer(query, question, query.id(),
                        new DefaultDnsQuestion("other." + question.name(), question.type())));
            };
            ctx.pipeline().context(DECODER).writeAndFlush(new DatagramPacket(out, query.sender()));
        }

        private ByteBuf encode(DatagramDnsResponse response) {
            EmbeddedChannel encoder = new EmbeddedChannel(new DatagramDnsResponseEncoder());
            encoder.writeOutbound(response);
            DatagramPacket packet = encoder.readOutbound();
            encoder.finishAndReleaseAll();
            return packet.content();
        }

        private DefaultDnsRawRecord soaRecord(String name, long[] soa) {
            ByteBuf rdata = Unpooled.buffer();
            writeName(rdata, "ns." + name);
            writeName(rdata, "hostmaster." + name);
            rdata.writeInt(1).writeInt(3600).writeInt(600).writeInt(86400).writeInt((int) soa[1]);
            return new DefaultDnsRawRecord(name + ".", DnsRecordType.SOA, soa[0], rdata);
        }
    }
}
