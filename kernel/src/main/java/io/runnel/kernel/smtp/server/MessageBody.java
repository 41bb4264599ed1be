package io.runnel.kernel.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The content of the message being received, gathered from the framer's slices without copying. Past the size
 * limit it keeps counting but stops holding, so an oversized message costs no memory and still gets its 552 at the
 * end.
 */
final class MessageBody {

    private final long limit;
    private CompositeByteBuf content;
    private long size;
    private boolean overflowed;

    MessageBody(ByteBufAllocator alloc, long limit) {
        this.limit = limit;
        this.content = alloc.compositeBuffer(Integer.MAX_VALUE);
    }

    /** Takes ownership of {@code part}. */
    void append(ByteBuf part) {
        size += part.readableBytes();
        if (size > limit || overflowed) {
            part.release();
            overflowed = true;
            release();
            return;
        }
        content.addComponent(true, part);
    }

    boolean overflowed() {
        return overflowed;
    }

    long size() {
        return size;
    }

    /** Hands the content over; the caller owns it from then on. */
    ByteBuf take() {
        if (content == null) {
            throw new IllegalStateException("content overflowed or already taken");
        }
        ByteBuf out = content;
        content = null;
        return out;
    }

    /** Frees whatever is still held. Safe to call more than once. */
    void release() {
        if (content != null) {
            content.release();
            content = null;
        }
    }
}
