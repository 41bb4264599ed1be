package io.runnel.kernel.smtp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.runnel.api.smtp.SmtpReply;
import java.util.concurrent.atomic.AtomicInteger;

/** Caps one listener's concurrent sessions: one over the cap gets 421 and is closed before it is greeted. */
@Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf(ConnectionLimiter.class, "counted");

    private final int max;
    private final SmtpReply refusal;
    private final AtomicInteger active = new AtomicInteger();

    ConnectionLimiter(int max, SmtpReply refusal) {
        this.max = max;
        this.refusal = refusal;
    }

    int active() {
        return active.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (active.incrementAndGet() > max) {
            active.decrementAndGet();
            ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
            return; // the session never starts: no greeting
        }
        ctx.channel().attr(COUNTED).set(true);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (Boolean.TRUE.equals(ctx.channel().attr(COUNTED).get())) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg); // a refused connection's input goes nowhere
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (Boolean.TRUE.equals(ctx.channel().attr(COUNTED).getAndSet(false))) {
            active.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }
}
