package io.runnel.kernel.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.runnel.api.smtp.SmtpReply;

/**
 * Whatever a remote server sends, the client's reply decoder yields replies or raises a {@link DecoderException}
 * (MalformedReply, or a line past the limit), which makes the session close the connection; nothing else. Seeds:
 * real replies from shared/testdata/smtp-replies ({@code ReplyDecoderFuzzTestInputs/serverReplies/}).
 */
class ReplyDecoderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void serverReplies(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new ReplyDecoder());
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(input));
            channel.finish(); // the server closes: a last line without its line ending is decoded too
        } catch (DecoderException expected) {
            // the contract: a malformed or oversized reply fails the connection
        } finally {
            Object reply;
            while ((reply = channel.readInbound()) != null) {
                check((SmtpReply) reply);
            }
            try {
                channel.finishAndReleaseAll(); // after a malformed line, what is left is decoded at close too
            } catch (DecoderException expected) {
                // the same contract
            }
        }
    }

    private static void check(SmtpReply reply) {
        assertThat(reply.code()).isBetween(200, 599);
        assertThat(reply.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(ReplyDecoder.MAX_LINES);
        reply.enhancedStatus().ifPresent(status -> assertThat(status.statusClass()).isEqualTo(reply.code() / 100));
    }
}
