package io.runnel.kernel.smtp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.runnel.api.smtp.SmtpReply;

/**
 * Sits in front of the framer until the greeting is sent. A client that sends anything before that is not
 * speaking SMTP as RFC 5321 3.1 says (typically a spam bot): it is refused and disconnected. The session removes
 * this guard when it greets.
 */
final class EarlyTalkerGuard extends ChannelInboundHandlerAdapter {

    private final SmtpReply refusal;
    private boolean caught;

    EarlyTalkerGuard(SmtpReply refusal) {
        this.refusal = refusal;
    }

    boolean caughtEarlyTalker() {
        return caught;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (!caught) {
            caught = true;
            ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
