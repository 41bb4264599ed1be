package io.runnel.kernel.dns;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.runnel.api.dns.MxAnswer;
import io.runnel.api.dns.MxAnswer.MxRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the parts of a DNS response the resolver needs. Only reads: the caller owns and releases the response. */
final class DnsMessages {

    private DnsMessages() {
    }

    /** Lower case, without the trailing dot: the one spelling used for cache keys and MX hosts. */
    static String normalize(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** The answer records of {@code type}; a CNAME chain's target records count, the CNAMEs themselves do not. */
    static List<DnsRawRecord> answers(DnsResponse response, DnsRecordType type) {
        List<DnsRawRecord> out = new ArrayList<>();
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            if (record.type().equals(type) && record instanceof DnsRawRecord raw) {
                out.add(raw);
            }
        }
        return out;
    }

    static Duration minTtl(List<? extends DnsRecord> records) {
        long ttl = records.stream().mapToLong(DnsRecord::timeToLive).min().orElse(0);
        return Duration.ofSeconds(ttl);
    }

    /** RFC 2308 section 5: a negative answer lives for the smaller of the SOA's own TTL and its MINIMUM field. */
    static Optional<Duration> negativeTtl(DnsResponse response) {
        for (int i = 0; i < response.count(DnsSection.AUTHORITY); i++) {
            DnsRecord record = response.recordAt(DnsSection.AUTHORITY, i);
            if (record.type().equals(DnsRecordType.SOA) && record instanceof DnsRawRecord raw) {
                ByteBuf rdata = raw.content();
                if (rdata.readableBytes() < 22) { // two names of at least one octet, five 32-bit fields
                    return Optional.empty();
                }
                long minimum = rdata.getUnsignedInt(rdata.writerIndex() - 4);
                return Optional.of(Duration.ofSeconds(Math.min(minimum, record.timeToLive())));
            }
        }
        return Optional.empty();
    }

    /**
     * MX records by preference. A lone record with preference 0 and host "." is a null MX (RFC 7505); a "." mixed
     * with real hosts is ignored, since such a domain still names servers.
     */
    static MxAnswer mx(List<DnsRawRecord> records) {
        List<MxRecord> out = new ArrayList<>();
        boolean rootSeen = false;
        for (DnsRawRecord record : records) {
            ByteBuf rdata = record.content().duplicate();
            int preference = rdata.readUnsignedShort();
            // the rdata is a view of the whole message, so compression pointers in the name resolve
            String host = normalize(DefaultDnsRecordDecoder.decodeName(rdata));
            if (host.isEmpty()) {
                rootSeen |= preference == 0;
                continue;
            }
            out.add(new MxRecord(preference, host));
        }
        if (out.isEmpty() && rootSeen && records.size() == 1) {
            return new MxAnswer(List.of(), true);
        }
        out.sort(Comparator.comparingInt(MxRecord::preference));
        return new MxAnswer(out, false);
    }

    /** An A or AAAA record's address; the name is kept so logs and TLS checks can show it. */
    static InetAddress address(String name, DnsRawRecord record) {
        ByteBuf rdata = record.content();
        byte[] bytes = new byte[rdata.readableBytes()];
        rdata.getBytes(rdata.readerIndex(), bytes);
        try {
            return InetAddress.getByAddress(name, bytes); // raw bytes: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address record for " + name + ": " + bytes.length + " octets", e);
        }
    }

    /** A TXT record's character-strings, joined (RFC 7208 3.3, RFC 6376 3.6.2.2). */
    static String txt(DnsRawRecord record) {
        ByteBuf rdata = record.content().duplicate();
        StringBuilder out = new StringBuilder();
        while (rdata.isReadable()) {
            int length = rdata.readUnsignedByte();
            out.append(rdata.readCharSequence(Math.min(length, rdata.readableBytes()), StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
