package io.runnel.kernel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.runnel.api.dns.MxAnswer;
import io.runnel.api.dns.MxAnswer.MxRecord;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Any datagram a name server (or someone spoofing one) answers with, decoded by Netty's DNS codec as the resolver's
 * channel does, then read by {@link DnsMessages} for each record type the resolver asks for. A malformed answer may
 * only raise what the resolver maps to a server failure for that name (truncated data, a bad name, a bad address
 * record); anything else, or a hang, is a bug. Seeds: {@code DnsAnswerFuzzTestInputs/response/}.
 */
class DnsAnswerFuzzTest {

    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
    private static final InetSocketAddress US = new InetSocketAddress("127.0.0.1", 40000);

    @FuzzTest(maxDuration = "5m")
    void response(byte[] datagram) {
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramDnsResponseDecoder());
        try {
            channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), US, SERVER));
        } catch (DecoderException | IndexOutOfBoundsException notDns) {
            channel.finishAndReleaseAll();
            return; // Netty's codec refused it: the query times out or fails before our code sees anything
        }
        DnsResponse response = channel.readInbound();
        try {
            if (response != null) {
                read(response);
            }
        } finally {
            if (response != null) {
                response.release();
            }
            channel.finishAndReleaseAll();
        }
    }

    private static void read(DnsResponse response) {
        DnsMessages.negativeTtl(response).ifPresent(ttl -> assertThat(ttl.isNegative()).isFalse());
        for (DnsRecordType type : List.of(DnsRecordType.MX, DnsRecordType.A, DnsRecordType.AAAA, DnsRecordType.TXT)) {
            List<DnsRawRecord> records = DnsMessages.answers(response, type);
            assertThat(DnsMessages.minTtl(records).isNegative()).isFalse();
            malformedIsServerFailure(() -> {
                if (type == DnsRecordType.MX) {
                    MxAnswer mx = DnsMessages.mx(records);
                    for (MxRecord r : mx.records()) {
                        // lower case without the root dot (normalize() is not applied twice: it trims control
                        // characters, which a label may hold)
                        assertThat(r.host()).isNotEmpty().doesNotEndWith(".").isEqualTo(r.host().toLowerCase(java.util.Locale.ROOT));
                        assertThat(r.preference()).isBetween(0, 65535);
                    }
                } else if (type == DnsRecordType.TXT) {
                    records.forEach(DnsMessages::txt);
                } else {
                    for (DnsRawRecord r : records) {
                        InetAddress address = DnsMessages.address("mx.example", r);
                        assertThat(address.getAddress()).hasSizeBetween(4, 16);
                    }
                }
            });
        }
    }

    /** What NettyDnsResolver turns into a SERVER_FAILURE for the name ("malformed answer"). */
    private static void malformedIsServerFailure(Runnable reading) {
        try {
            reading.run();
        } catch (IndexOutOfBoundsException | CorruptedFrameException | IllegalArgumentException malformed) {
            // truncated rdata, a bad compressed name, an address record of the wrong length
        }
    }
}
