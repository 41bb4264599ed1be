package io.runnel.kernel.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reply framing through an EmbeddedChannel, fed in chunks. */
class SmtpClientReplyDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ReplyDecoder());

    @AfterEach
    void finish() {
        channel.finishAndReleaseAll();
    }

    private void feed(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, UTF_8));
    }

    @Test
    void joinsAMultiLineReplyFedInChunks() {
        feed("250-mx.example.com Hello\r\n2");
        feed("50-PIPELINING\r\n250 SIZE 1000");
        assertThat((Object) channel.readInbound()).isNull();
        feed("\r\n");

        SmtpReply reply = channel.readInbound();
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.enhancedStatus()).isEmpty();
        assertThat(reply.lines()).containsExactly("mx.example.com Hello", "PIPELINING", "SIZE 1000");
    }

    @Test
    void parsesTheEnhancedStatusAndStripsItFromEachLine() {
        feed("550-5.1.1 No such user\r\n550 5.1.1 here\r\n");

        SmtpReply reply = channel.readInbound();
        assertThat(reply).isEqualTo(new SmtpReply(550, Optional.of(new EnhancedStatus(5, 1, 1)), List.of("No such user", "here")));
    }

    @Test
    void leavesAStatusOfTheWrongClassInTheText() {
        feed("250 5.1.1 odd\r\n");

        SmtpReply reply = channel.readInbound();
        assertThat(reply.enhancedStatus()).isEmpty();
        assertThat(reply.lines()).containsExactly("5.1.1 odd");
    }

    @Test
    void acceptsABareCodeWithoutText() {
        feed("354\r\n");

        SmtpReply reply = channel.readInbound();
        assertThat(reply.code()).isEqualTo(354);
        assertThat(reply.lines()).containsExactly("");
    }

    @Test
    void rejectsALineThatIsNotAReply() {
        assertThatThrownBy(() -> feed("HTTP/1.1 400 Bad Request\r\n")).isInstanceOf(ReplyDecoder.MalformedReply.class)
                .hasMessageContaining("HTTP/1.1");
    }

    @Test
    void rejectsACodeThatChangesWithinAReply() {
        assertThatThrownBy(() -> feed("250-first\r\n251 second\r\n")).isInstanceOf(ReplyDecoder.MalformedReply.class);
    }

    @Test
    void rejectsAnOverlongLineWithoutBufferingIt() {
        assertThatThrownBy(() -> feed("250 " + "x".repeat(ReplyDecoder.MAX_LINE_LENGTH + 10)))
                .isInstanceOf(TooLongFrameException.class);
    }
}
