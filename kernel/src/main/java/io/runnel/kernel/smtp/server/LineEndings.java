package io.runnel.kernel.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;

/** Bare CR / bare LF handling for BDAT content, which arrives byte-exact and unframed. */
final class LineEndings {

    private LineEndings() {
    }

    /** True when {@code content} has a CR not followed by LF or a LF not preceded by CR. */
    static boolean hasBare(ByteBuf content) {
        int start = content.readerIndex();
        int end = content.writerIndex();
        int i = start;
        while (i < end) {
            int at = content.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
            if (at < 0) {
                return false;
            }
            if (content.getByte(at) == '\n') {
                return true; // a LF whose CR would have been found first
            }
            if (at + 1 == end || content.getByte(at + 1) != '\n') {
                return true;
            }
            i = at + 2;
        }
        return false;
    }

    /** A copy of {@code content} with every bare CR or LF turned into CRLF; releases {@code content}. */
    static ByteBuf normalize(ByteBuf content, ByteBufAllocator alloc) {
        try {
            ByteBuf out = alloc.buffer(content.readableBytes() + 64);
            int end = content.writerIndex();
            for (int i = content.readerIndex(); i < end; i++) {
                byte b = content.getByte(i);
                if (b == '\r') {
                    out.writeByte('\r').writeByte('\n');
                    if (i + 1 < end && content.getByte(i + 1) == '\n') {
                        i++;
                    }
                } else if (b == '\n') {
                    out.writeByte('\r').writeByte('\n');
                } else {
                    out.writeByte(b);
                }
            }
            return out;
        } finally {
            content.release();
        }
    }
}
