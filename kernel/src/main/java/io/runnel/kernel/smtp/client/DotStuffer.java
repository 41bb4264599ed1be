package io.runnel.kernel.smtp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * DATA content on the wire (RFC 5321 4.5.2): a dot that starts a line gets a second one, and the content ends
 * with CRLF "." CRLF. The result wraps the message array piece by piece instead of copying it.
 */
final class DotStuffer {

    private static final byte[] END = {'.', '\r', '\n'};
    private static final byte[] CRLF_END = {'\r', '\n', '.', '\r', '\n'};

    private DotStuffer() {
    }

    /** The content as sent after 354; the caller passes ownership of the buffer on to the channel. */
    static ByteBuf stuff(byte[] content) {
        List<ByteBuf> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '.' && startsLine(content, i)) {
                parts.add(Unpooled.wrappedBuffer(content, start, i + 1 - start));   // ends with this dot...
                start = i;                                                          // ...and the next part starts with it
            }
        }
        if (start < content.length) {
            parts.add(Unpooled.wrappedBuffer(content, start, content.length - start));
        }
        parts.add(Unpooled.wrappedBuffer(endsWithLine(content) ? END : CRLF_END));
        return Unpooled.wrappedBuffer(Integer.MAX_VALUE, parts.toArray(ByteBuf[]::new));
    }

    /** True when the content is empty or ends with CRLF, so the end of data needs no CRLF of its own. */
    static boolean endsWithLine(byte[] content) {
        return content.length == 0
                || (content.length >= 2 && content[content.length - 2] == '\r' && content[content.length - 1] == '\n');
    }

    private static boolean startsLine(byte[] content, int i) {
        return i == 0 || (i >= 2 && content[i - 1] == '\n' && content[i - 2] == '\r');
    }
}
