package io.runnel.kernel.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.runnel.api.mail.HeaderField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Any received message, as reception cuts its header block for filters, signers and rules: the fields are the
 * message's leading bytes exactly, the body is the rest, and putting the same fields back gives the same bytes.
 * Seeds: {@code ContentViewFuzzTestInputs/message/}.
 */
class ContentViewFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void message(byte[] message) throws IOException {
        ByteBuf content = Unpooled.wrappedBuffer(message);
        try {
            ContentView view = new ContentView(content);
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            for (HeaderField field : view.headers()) {
                assertThat(field.name()).isNotEmpty().doesNotContain(":");
                header.writeBytes(field.raw());
                field.value();
                view.firstValue(field.name());
            }
            byte[] head = header.toByteArray();
            assertThat(Arrays.copyOf(message, head.length)).as("fields are the message's first bytes").isEqualTo(head);
            try (InputStream body = view.openBody()) {
                byte[] bodyBytes = body.readAllBytes();
                assertThat(view.bodySize()).isEqualTo(bodyBytes.length);
                assertThat(head.length + bodyBytes.length).isLessThanOrEqualTo(message.length);
                assertThat(Arrays.copyOfRange(message, message.length - bodyBytes.length, message.length)).isEqualTo(bodyBytes);
            }
            ByteBuf same = view.withHeaders(view.headers(), ByteBufAllocator.DEFAULT);
            try {
                assertThat(ByteBufUtil.getBytes(same)).as("same fields back, same message").isEqualTo(expectedRewrite(message, head,
                        !view.headers().isEmpty()));
            } finally {
                same.release();
            }
        } finally {
            content.release();
        }
    }

    /** The message itself, except that a header block not followed by a blank line gets one. */
    private static byte[] expectedRewrite(byte[] message, byte[] head, boolean hasFields) {
        boolean blankLineFollows = message.length - head.length >= 2 && message[head.length] == '\r' && message[head.length + 1] == '\n';
        if (!hasFields || blankLineFollows) {
            return message;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(new byte[] {'\r', '\n'});
        out.write(message, head.length, message.length - head.length);
        return out.toByteArray();
    }
}
