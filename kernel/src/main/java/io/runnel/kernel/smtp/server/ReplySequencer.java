package io.runnel.kernel.smtp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.runnel.api.smtp.SmtpReply;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps a session's replies in command order (RFC 2920) while some of them wait for work elsewhere, such as a spool
 * commit. A pipelining client can therefore have its next transaction read, checked and even spooled while the
 * previous message is still being committed; its replies still leave in order. Event-loop confined.
 */
final class ReplySequencer {

    /** A place in the reply order, filled later with {@link #fill}. */
    static final class Slot {
        private SmtpReply reply;
        private boolean close;
    }

    private final ChannelHandlerContext ctx;
    private final Consumer<SmtpReply> written;
    private final Deque<Slot> queue = new ArrayDeque<>();
    private CompletableFuture<Void> drained = CompletableFuture.completedFuture(null);

    /** @param written told of every reply as it is written, in order (session tracing) */
    ReplySequencer(ChannelHandlerContext ctx, Consumer<SmtpReply> written) {
        this.ctx = ctx;
        this.written = written;
    }

    /** Sends {@code reply} after every reply reserved before it (written now, flushed with the read batch). */
    void send(SmtpReply reply) {
        if (queue.isEmpty()) {
            written.accept(reply);
            ctx.write(reply);
        } else {
            Slot slot = reserve();
            slot.reply = reply;
        }
    }

    /** Sends {@code reply} in order, then closes the connection. */
    void sendAndClose(SmtpReply reply) {
        if (queue.isEmpty()) {
            written.accept(reply);
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        } else {
            Slot slot = reserve();
            slot.reply = reply;
            slot.close = true;
        }
    }

    /** Holds a place for a reply not known yet. */
    Slot reserve() {
        if (queue.isEmpty()) {
            drained = new CompletableFuture<>();
        }
        Slot slot = new Slot();
        queue.addLast(slot);
        return slot;
    }

    /** Fills a reserved place and writes every reply that is now due. */
    void fill(Slot slot, SmtpReply reply) {
        slot.reply = reply;
        while (!queue.isEmpty() && queue.peekFirst().reply != null) {
            Slot head = queue.pollFirst();
            written.accept(head.reply);
            if (head.close) {
                queue.clear();
                ctx.writeAndFlush(head.reply).addListener(ChannelFutureListener.CLOSE);
                break;
            }
            ctx.write(head.reply);
        }
        ctx.flush();
        if (queue.isEmpty()) {
            drained.complete(null);
        }
    }

    /** True while some reply waits for its turn. */
    boolean hasPending() {
        return !queue.isEmpty();
    }

    /** Completes when every reply reserved so far has been written. */
    CompletableFuture<Void> drained() {
        return drained;
    }
}
