package io.runnel.kernel.smtp.client;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class SmtpClientDotStufferTest {

    private static String stuffed(String content) {
        ByteBuf buf = DotStuffer.stuff(content.getBytes(US_ASCII));
        try {
            return buf.toString(US_ASCII);
        } finally {
            buf.release();
        }
    }

    @Test
    void doublesEveryDotThatStartsALine() {
        assertThat(stuffed(".a\r\nb.c\r\n..\r\n.\r\n")).isEqualTo("..a\r\nb.c\r\n...\r\n..\r\n.\r\n");
    }

    @Test
    void addsTheMissingLineEndBeforeTheFinalDot() {
        assertThat(stuffed("no newline")).isEqualTo("no newline\r\n.\r\n");
    }

    @Test
    void emptyContentIsJustTheFinalDot() {
        assertThat(stuffed("")).isEqualTo(".\r\n");
    }

    @Test
    void aDotAfterABareLfIsNotAtALineStart() {
        assertThat(stuffed("a\n.b\r\n")).isEqualTo("a\n.b\r\n.\r\n");
    }
}
