package io.runnel.kernel.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.runnel.kernel.config.ListenerConfig.BareLineEndings;
import io.runnel.kernel.smtp.server.SmtpFramer.ChunkEnd;
import io.runnel.kernel.smtp.server.SmtpFramer.CommandLine;
import io.runnel.kernel.smtp.server.SmtpFramer.DataEnd;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The framer through an {@link EmbeddedChannel}, behind a stand-in for the session that switches modes the way the
 * session does (DATA, BDAT n). Every input is also fed one byte at a time and in odd splits: the output must not
 * depend on how TCP cut the stream.
 */
class SmtpFramerTest {

    /** Plays the session's part: switches the framer's mode and writes down everything it is handed. */
    private static final class Transcript extends ChannelInboundHandlerAdapter {
        private final SmtpFramer framer;
        private final List<String> events = new ArrayList<>();
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();

        Transcript(SmtpFramer framer) {
            this.framer = framer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                try {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    content.writeBytes(bytes);
                } finally {
                    buf.release();
                }
                return;
            }
            flushContent();
            if (msg instanceof CommandLine line) {
                events.add(line.tooLong() ? "LINE-TOO-LONG" : (line.bareLf() ? "BARE-LF " : "CMD ") + line.text());
                String verb = line.text().split(" ")[0];
                if (!line.tooLong() && verb.equals("DATA")) {
                    framer.expectData();
                } else if (!line.tooLong() && verb.equals("BDAT")) {
                    framer.expectChunk(Long.parseLong(line.text().split(" ")[1]));
                }
            } else if (msg instanceof DataEnd end) {
                events.add("DATA-END" + (end.bareLineEnding() ? " bare" : ""));
            } else if (msg instanceof ChunkEnd) {
                events.add("CHUNK-END");
            } else {
                throw new AssertionError("unexpected " + msg);
            }
        }

        private void flushContent() {
            if (content.size() > 0) {
                events.add("CONTENT " + content.toString(StandardCharsets.ISO_8859_1));
                content.reset();
            }
        }

        List<String> events() {
            flushContent();
            return events;
        }
    }

    private static List<String> frame(BareLineEndings bare, List<byte[]> pieces) {
        SmtpFramer framer = new SmtpFramer(512, bare);
        Transcript transcript = new Transcript(framer);
        EmbeddedChannel ch = new EmbeddedChannel(framer, transcript);
        for (byte[] piece : pieces) {
            ch.writeInbound(Unpooled.wrappedBuffer(piece));
        }
        List<String> events = transcript.events();
        assertThat(ch.finishAndReleaseAll()).isFalse();
        return events;
    }

    private static List<String> whole(BareLineEndings bare, String input) {
        return frame(bare, List.of(bytes(input)));
    }

    /** Frames {@code input} whole, byte by byte, cut in two at every point and in random splits; all must agree. */
    private static List<String> frameAllWays(BareLineEndings bare, String input) {
        byte[] all = bytes(input);
        List<String> expected = frame(bare, List.of(all));
        List<byte[]> single = new ArrayList<>();
        for (byte b : all) {
            single.add(new byte[] {b});
        }
        assertThat(frame(bare, single)).as("byte by byte").isEqualTo(expected);
        for (int cut = 1; cut < all.length; cut++) {
            List<byte[]> two = List.of(slice(all, 0, cut), slice(all, cut, all.length));
            assertThat(frame(bare, two)).as("cut at %d", cut).isEqualTo(expected);
        }
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            List<byte[]> pieces = new ArrayList<>();
            int at = 0;
            while (at < all.length) {
                int n = Math.min(all.length - at, 1 + random.nextInt(7));
                pieces.add(slice(all, at, at + n));
                at += n;
            }
            assertThat(frame(bare, pieces)).as("random split round %d", round).isEqualTo(expected);
        }
        return expected;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] slice(byte[] all, int from, int to) {
        byte[] out = new byte[to - from];
        System.arraycopy(all, from, out, 0, out.length);
        return out;
    }

    @Test
    void cutsCommandLinesAtCrlfWhateverTheSplit() {
        assertThat(frameAllWays(BareLineEndings.REJECT, "EHLO a.example\r\nNOOP\r\nQUIT\r\n"))
                .containsExactly("CMD EHLO a.example", "CMD NOOP", "CMD QUIT");
    }

    @Test
    void marksACommandLineEndingInBareLf() {
        assertThat(frameAllWays(BareLineEndings.REJECT, "NOOP\nRSET\r\n")).containsExactly("BARE-LF NOOP", "CMD RSET");
    }

    @Test
    void reportsAnOverlongCommandLineOnceAndParsesTheNextOne() {
        String longLine = "NOOP " + "x".repeat(600) + "\r\n";
        assertThat(frameAllWays(BareLineEndings.REJECT, longLine + "NOOP\r\n")).containsExactly("LINE-TOO-LONG", "CMD NOOP");
    }

    @Test
    void acceptsACommandLineOfExactlyTheLimit() {
        String line = "NOOP " + "x".repeat(512 - 7);
        assertThat(whole(BareLineEndings.REJECT, line + "\r\n")).containsExactly("CMD " + line);
        assertThat(whole(BareLineEndings.REJECT, line + "x\r\n")).containsExactly("LINE-TOO-LONG");
    }

    @Test
    void unstuffsDotsAndEndsDataOnlyAtCrlfDotCrlf() {
        String input = "DATA\r\n" + "..a\r\n" + "...\r\n" + "..\r\n" + "b.c\r\n" + ".\r\n" + "NOOP\r\n";
        assertThat(frameAllWays(BareLineEndings.REJECT, input))
                .containsExactly("CMD DATA", "CONTENT .a\r\n..\r\n.\r\nb.c\r\n", "DATA-END", "CMD NOOP");
    }

    @Test
    void endsEmptyDataAtOnce() {
        assertThat(frameAllWays(BareLineEndings.REJECT, "DATA\r\n.\r\nNOOP\r\n"))
                .containsExactly("CMD DATA", "DATA-END", "CMD NOOP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\r\n", "\r.\r\n", "\r\n.\n", "\n.\n", "\r\n.\r", "\r.\r"})
    void aBareLineEndingNeverEndsDataAndIsFlaggedWhenRejecting(String smuggle) {
        String input = "DATA\r\nhello" + smuggle + "MAIL FROM:<evil@x.example>\r\nreal\r\n.\r\nNOOP\r\n";
        List<String> events = frameAllWays(BareLineEndings.REJECT, input);
        assertThat(events).filteredOn(e -> e.startsWith("CMD ")).containsExactly("CMD DATA", "CMD NOOP");
        assertThat(events).contains("DATA-END bare").doesNotContain("DATA-END");
        assertThat(events.get(events.size() - 1)).isEqualTo("CMD NOOP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\r\n", "\r.\r\n", "\r\n.\n", "\n.\n"})
    void aNormalisedBareLineEndingNeverEndsData(String smuggle) {
        String input = "DATA\r\nhello" + smuggle + "MAIL FROM:<evil@x.example>\r\nreal\r\n.\r\nNOOP\r\n";
        List<String> events = frameAllWays(BareLineEndings.NORMALIZE, input);
        assertThat(events).filteredOn(e -> e.startsWith("CMD ")).containsExactly("CMD DATA", "CMD NOOP");
        assertThat(events).containsOnlyOnce("DATA-END");
        String content = events.get(1);
        assertThat(content).startsWith("CONTENT hello\r\n").endsWith("MAIL FROM:<evil@x.example>\r\nreal\r\n");
        assertThat(content.substring("CONTENT ".length()).replace("\r\n", "")).doesNotContain("\r", "\n");
    }

    @Test
    void normalisesBareLfAndBareCrToCrlf() {
        assertThat(frameAllWays(BareLineEndings.NORMALIZE, "DATA\r\na\nb\rc\r\n.\r\n"))
                .containsExactly("CMD DATA", "CONTENT a\r\nb\r\nc\r\n", "DATA-END");
    }

    @Test
    void keepsDataContentThatLooksLikeCommands() {
        assertThat(frameAllWays(BareLineEndings.REJECT, "DATA\r\nRCPT TO:<x@y.example>\r\n.\r\n"))
                .containsExactly("CMD DATA", "CONTENT RCPT TO:<x@y.example>\r\n", "DATA-END");
    }

    @Test
    void passesBdatChunksThroughByteExact() {
        String chunk1 = "a\r\n.\r\nMAIL";           // a terminator and a command inside a chunk are content
        String chunk2 = "\n..x\r";                  // a CRLF split across chunks, a bare LF and a trailing CR
        String input = "BDAT " + chunk1.length() + "\r\n" + chunk1 + "BDAT " + chunk2.length() + " LAST\r\n" + chunk2 + "NOOP\r\n";
        assertThat(frameAllWays(BareLineEndings.REJECT, input)).containsExactly(
                "CMD BDAT " + chunk1.length(), "CONTENT " + chunk1, "CHUNK-END",
                "CMD BDAT " + chunk2.length() + " LAST", "CONTENT " + chunk2, "CHUNK-END", "CMD NOOP");
    }

    @Test
    void decodesNothingWhilePausedAndEverythingBufferedOnResume() {
        SmtpFramer framer = new SmtpFramer(512, BareLineEndings.REJECT);
        Transcript transcript = new Transcript(framer);
        EmbeddedChannel ch = new EmbeddedChannel(framer, transcript);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("NOOP\r\n")));
        framer.pause();
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("RSET\r\nQU")));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("IT\r\n")));
        assertThat(transcript.events()).containsExactly("CMD NOOP");
        framer.resume();
        assertThat(transcript.events()).containsExactly("CMD NOOP", "CMD RSET", "CMD QUIT");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void discardsWhatWasBufferedWhenAsked() {
        SmtpFramer framer = new SmtpFramer(512, BareLineEndings.REJECT);
        Transcript transcript = new Transcript(framer);
        EmbeddedChannel ch = new EmbeddedChannel(framer, transcript);
        framer.pause();
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("MAIL FROM:<a@b.example>\r\n")));
        assertThat(framer.discardBuffered()).isEqualTo(25);
        framer.resume();
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("NOOP\r\n")));
        assertThat(transcript.events()).containsExactly("CMD NOOP");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
