package io.runnel.kernel.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Finding line ends in content, and bare CR / bare LF handling for BDAT content, which arrives byte-exact and unframed. */
final class LineEndings {

    private LineEndings() {
    }

    /**
     * The index of the first CR or LF of {@code content} in {@code [from, end)}, or -1. Netty's {@code indexOf} looks at
     * eight bytes at a time, so the CR is found first and only the stretch before it searched again for a bare LF: two
     * quick passes over a line instead of one byte by byte.
     */
    static int next(ByteBuf content, int from, int end) {
        int cr = content.indexOf(from, end, (byte) '\r');
        int lf = content.indexOf(from, cr < 0 ? end : cr, (byte) '\n');
        return lf >= 0 ? lf : cr;
    }

    /** True when {@code content} has a CR not followed by LF or a LF not preceded by CR. */
    static boolean hasBare(ByteBuf content) {
        int start = content.readerIndex();
        int end = content.writerIndex();
        int i = start;
        while (i < end) {
            int at = next(content, i, end);
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
