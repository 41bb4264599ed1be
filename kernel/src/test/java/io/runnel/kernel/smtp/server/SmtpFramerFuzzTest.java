package io.runnel.kernel.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.runnel.kernel.config.ListenerConfig.BareLineEndings;
import io.runnel.kernel.smtp.server.SmtpFramer.ChunkEnd;
import io.runnel.kernel.smtp.server.SmtpFramer.CommandLine;
import io.runnel.kernel.smtp.server.SmtpFramer.DataEnd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The inbound byte stream decoder: command lines, DATA (dot unstuffing, CRLF.CRLF, bare line endings) and BDAT chunks,
 * gathered into a {@link MessageBody} the way the session does, and BDAT content through {@link LineEndings}. The
 * first input byte picks the bare line ending policy and how the rest is cut into TCP reads; whatever the cut, the
 * transcript must be the same. Seeds: {@code SmtpFramerFuzzTestInputs/stream/}.
 */
class SmtpFramerFuzzTest {

    private static final int MAX_LINE = 64;
    private static final long BODY_LIMIT = 300;

    @FuzzTest(maxDuration = "5m")
    void stream(byte[] input) {
        if (input.length == 0) {
            return;
        }
        BareLineEndings policy = (input[0] & 1) == 0 ? BareLineEndings.REJECT : BareLineEndings.NORMALIZE;
        int cut = ((input[0] >> 1) & 7) + 1;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);

        List<String> whole = transcript(policy, stream, stream.length);
        List<String> pieces = transcript(policy, stream, cut);
        assertThat(pieces).isEqualTo(whole);
    }

    private static List<String> transcript(BareLineEndings policy, byte[] stream, int cut) {
        SmtpFramer framer = new SmtpFramer(MAX_LINE, policy);
        Session session = new Session(framer, policy);
        EmbeddedChannel channel = new EmbeddedChannel(framer, session);
        try {
            for (int i = 0; i < stream.length; i += Math.max(cut, 1)) {
                channel.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(cut, stream.length - i)));
            }
        } finally {
            session.release();
            channel.finishAndReleaseAll();
        }
        return session.events;
    }

    /** Plays the session's part: switches the framer's mode as SmtpSession does and gathers content. */
    private static final class Session extends ChannelInboundHandlerAdapter {
        private final SmtpFramer framer;
        private final BareLineEndings policy;
        private final List<String> events = new ArrayList<>();
        private MessageBody body;
        private long appended;

        Session(SmtpFramer framer, BareLineEndings policy) {
            this.framer = framer;
            this.policy = policy;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf content) {
                if (body == null) {
                    body = new MessageBody(ctx.alloc(), BODY_LIMIT);
                }
                appended += content.readableBytes();
                body.append(content);
                assertThat(body.size()).isEqualTo(appended);
                assertThat(body.overflowed()).isEqualTo(appended > BODY_LIMIT);
            } else if (msg instanceof CommandLine line) {
                events.add(line.tooLong() ? "TOO-LONG" : (line.bareLf() ? "LF " : "CMD ") + line.text());
                if (!line.tooLong()) {
                    command(ctx, SmtpCommandParser.parse(line.text()));
                }
            } else if (msg instanceof DataEnd end) {
                byte[] content = takeContent();
                if (policy == BareLineEndings.NORMALIZE || !end.bareLineEnding()) {
                    assertThat(LineEndings.hasBare(Unpooled.wrappedBuffer(content))).as("bare line ending in DATA").isFalse();
                }
                events.add("DATA-END " + end.bareLineEnding() + " " + Arrays.hashCode(content) + "/" + content.length);
            } else if (msg instanceof ChunkEnd) {
                chunkEnd(ctx);
            } else {
                throw new AssertionError("unexpected " + msg);
            }
        }

        private void command(ChannelHandlerContext ctx, SmtpCommand command) {
            if (command instanceof SmtpCommand.Data) {
                framer.expectData();
            } else if (command instanceof SmtpCommand.Bdat bdat) {
                if (bdat.size() > 0) {
                    framer.expectChunk(bdat.size());
                } else {
                    chunkEnd(ctx);
                }
            }
        }

        private void chunkEnd(ChannelHandlerContext ctx) {
            byte[] content = takeContent();
            ByteBuf chunk = Unpooled.wrappedBuffer(content);
            boolean bare = LineEndings.hasBare(chunk);
            ByteBuf normalized = LineEndings.normalize(chunk.retain(), ctx.alloc());
            try {
                assertThat(LineEndings.hasBare(normalized)).as("bare line ending after normalising").isFalse();
                if (!bare) {
                    assertThat(ByteBufUtil.getBytes(normalized)).isEqualTo(content);
                }
            } finally {
                normalized.release();
                chunk.release();
            }
            events.add("CHUNK-END " + bare + " " + Arrays.hashCode(content) + "/" + content.length);
        }

        /** The content gathered since the last end, or a marker of its size when it overflowed the limit. */
        private byte[] takeContent() {
            MessageBody taken = body;
            long size = appended;
            body = null;
            appended = 0;
            if (taken == null) {
                return new byte[0];
            }
            if (taken.overflowed()) {
                return ("overflowed " + size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            ByteBuf content = taken.take();
            try {
                return ByteBufUtil.getBytes(content);
            } finally {
                content.release();
            }
        }

        void release() {
            if (body != null) {
                body.release();
            }
        }
    }
}
