package io.runnel.sdk.sink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.List;

/** Writes a {@link SinkReply} as {@code 250-first}, ..., {@code 250 last}, each line ending in CRLF. */
@Sharable
final class SinkReplyEncoder extends MessageToByteEncoder<SinkReply> {

  static final SinkReplyEncoder INSTANCE = new SinkReplyEncoder();

  private SinkReplyEncoder() {
    super(SinkReply.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, SinkReply reply, ByteBuf out) {
    List<String> lines = reply.lines();
    for (int i = 0; i < lines.size(); i++) {
      ByteBufUtil.writeAscii(out, Integer.toString(reply.code()));
      out.writeByte(i == lines.size() - 1 ? ' ' : '-');
      ByteBufUtil.writeUtf8(out, lines.get(i));
      out.writeByte('\r');
      out.writeByte('\n');
    }
  }
}
