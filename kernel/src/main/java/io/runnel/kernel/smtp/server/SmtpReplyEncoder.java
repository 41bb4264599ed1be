package io.runnel.kernel.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.runnel.api.smtp.SmtpReply;
import java.nio.charset.StandardCharsets;

/** Writes {@link SmtpReply} values as wire text. */
@Sharable
final class SmtpReplyEncoder extends MessageToByteEncoder<SmtpReply> {

    static final SmtpReplyEncoder INSTANCE = new SmtpReplyEncoder();

    private SmtpReplyEncoder() {
        super(SmtpReply.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SmtpReply reply, ByteBuf out) {
        out.writeCharSequence(reply.toWire(), StandardCharsets.UTF_8);
    }
}
