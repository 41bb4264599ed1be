package io.runnel.kernel.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.runnel.kernel.config.ListenerConfig.BareLineEndings;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: what the listener spends decoding one transaction's input on the event loop. {@code envelope} frames and
 * parses a pipelined {@code MAIL FROM ... SIZE= BODY=} plus {@code RCPT TO} batch; {@code data} frames (and
 * dot-unstuffs) a dot-stuffed message body up to CRLF.CRLF, at 4 KiB and 100 KiB. The framer runs in an
 * {@link EmbeddedChannel}, as in the framer's tests. Run by hand ({@code bench/jmh}): not part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmtpDecodeBenchmark {

    @Param({"4096", "102400"})
    public int size;

    private EmbeddedChannel channel;
    private SmtpFramer framer;
    private ByteBuf envelope;
    private ByteBuf data;

    @Setup
    public void setUp() {
        framer = new SmtpFramer(512, BareLineEndings.REJECT);
        channel = new EmbeddedChannel(framer);
        envelope = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(
                "MAIL FROM:<newsletter@mail.example.com> SIZE=4096 BODY=8BITMIME\r\n"
                        + "RCPT TO:<bob.smith@d17.bench.test>\r\n", StandardCharsets.US_ASCII));
        data = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(stuffedMessage(size), StandardCharsets.US_ASCII));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public void envelope(Blackhole bh) {
        channel.writeInbound(envelope.duplicate());
        for (Object line; (line = channel.readInbound()) != null; ) {
            bh.consume(SmtpCommandParser.parse(((SmtpFramer.CommandLine) line).text()));
        }
    }

    @Benchmark
    public void data(Blackhole bh) {
        framer.expectData();
        channel.writeInbound(data.duplicate());
        for (Object part; (part = channel.readInbound()) != null; ) {
            bh.consume(part);
            ReferenceCountUtil.release(part);
        }
    }

    /** Headers and 76-character lines, every tenth starting with a dot (stuffed), then CRLF.CRLF. */
    static String stuffedMessage(int size) {
        StringBuilder m = new StringBuilder(size + 64).append("From: <news@mail.example.com>\r\n")
                .append("To: <bob@d17.bench.test>\r\nSubject: benchmark\r\nMessage-ID: <1@mail.example.com>\r\n\r\n");
        for (int line = 0; m.length() < size; line++) {
            m.append(line % 10 == 0 ? ".." : "").append("The quick brown fox jumps over the lazy dog, again and again;  x\r\n");
        }
        return m.append(".\r\n").toString();
    }
}
