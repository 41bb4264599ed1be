package io.runnel.kernel.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import io.runnel.api.mail.HeaderField;
import io.runnel.api.mail.MessageView;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link MessageView} over received content held in a {@link ByteBuf}: header fields are cut out once, byte for
 * byte; the body is streamed from the buffer without copying. The view does not own the buffer: it is valid only
 * while the caller holds it.
 */
final class ContentView implements MessageView {

    private final ByteBuf content;
    private final List<HeaderField> headers;
    private final int bodyStart;

    ContentView(ByteBuf content) {
        this.content = content;
        List<HeaderField> fields = new ArrayList<>();
        int start = content.readerIndex();
        int end = content.writerIndex();
        int i = start;
        int fieldStart = -1;
        String fieldName = null;
        int body = end;
        while (i < end) {
            int eol = content.indexOf(i, end, (byte) '\n');
            int next = eol < 0 ? end : eol + 1;
            boolean blank = next - i <= 2 && (next - i == 1 || content.getByte(i) == '\r') && eol >= 0;
            byte first = content.getByte(i);
            if (blank) {
                body = next;
                break;
            }
            if (first == ' ' || first == '\t') {
                if (fieldStart < 0) { // continuation without a field: not a header block
                    body = i;
                    break;
                }
            } else {
                if (fieldStart >= 0) {
                    fields.add(field(fieldName, fieldStart, i));
                }
                int colon = content.indexOf(i, next, (byte) ':');
                String name = colon <= i ? "" : content.toString(i, colon - i, StandardCharsets.US_ASCII).strip();
                if (name.isEmpty()) { // not "name:" (":x", or only white space such as CR or VT before the colon):
                    fieldStart = -1;  // the header block ended without a blank line
                    body = i;
                    break;
                }
                fieldName = name;
                fieldStart = i;
            }
            i = next;
        }
        if (fieldStart >= 0) {
            fields.add(field(fieldName, fieldStart, Math.min(i, body)));
        }
        this.headers = List.copyOf(fields);
        this.bodyStart = body;
    }

    private HeaderField field(String name, int from, int to) {
        byte[] raw = new byte[to - from];
        content.getBytes(from, raw);
        return new HeaderField(name, raw);
    }

    /** The first {@code name} field's value, unfolded and trimmed; empty when absent or blank. */
    Optional<String> firstValue(String name) {
        return headers.stream().filter(field -> field.hasName(name)).findFirst()
                .map(field -> field.value().replace("\r\n", "").replace("\n", "").strip())
                .filter(value -> !value.isEmpty());
    }

    /**
     * A new buffer holding {@code replacement} as the header block, then this message's blank line and body (shared
     * with this buffer, not copied). The caller owns the result and still owns the buffer this view reads.
     */
    ByteBuf withHeaders(List<HeaderField> replacement, ByteBufAllocator alloc) {
        int headerEnd = content.readerIndex();
        for (HeaderField field : headers) {
            headerEnd += field.raw().length;
        }
        ByteBuf head = alloc.buffer(1024);
        replacement.forEach(field -> head.writeBytes(field.raw()));
        boolean blankLineFollows = content.writerIndex() - headerEnd >= 2 && content.getByte(headerEnd) == '\r'
                && content.getByte(headerEnd + 1) == '\n';
        if (!blankLineFollows && !replacement.isEmpty()) {
            head.writeBytes(new byte[] {'\r', '\n'}); // the message had no header block: one begins now
        }
        CompositeByteBuf message = alloc.compositeBuffer(2);
        message.addComponent(true, head);
        message.addComponent(true, content.retainedSlice(headerEnd, content.writerIndex() - headerEnd));
        return message;
    }

    @Override
    public List<HeaderField> headers() {
        return headers;
    }

    @Override
    public InputStream openBody() {
        return new ByteBufInputStream(content.slice(bodyStart, content.writerIndex() - bodyStart));
    }

    @Override
    public long bodySize() {
        return content.writerIndex() - bodyStart;
    }
}
