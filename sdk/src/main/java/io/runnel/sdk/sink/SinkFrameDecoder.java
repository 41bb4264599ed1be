package io.runnel.sdk.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Frames the inbound byte stream: CRLF command lines, DATA content after the session has answered 354
 * ({@link #expectData()}), and BDAT chunks of exactly the announced size. {@link ByteToMessageDecoder} hands
 * each frame to the session before decoding further, so a mode switch made while handling a frame applies to
 * the very next byte. Content buffers are owned here and copied out before a frame leaves.
 */
final class SinkFrameDecoder extends ByteToMessageDecoder {

  private static final Pattern BDAT = Pattern.compile("BDAT ([0-9]{1,18})( LAST)?", Pattern.CASE_INSENSITIVE);
  private static final byte[] NOTHING = new byte[0];

  private enum Mode { COMMAND, DATA, CHUNK }

  private final int maxLineLength;
  private final boolean keepContent;
  private final long maxContentSize;
  private final DotUnstuffer unstuffer = new DotUnstuffer();

  private Mode mode = Mode.COMMAND;
  private boolean discardingLine;
  private ByteBuf content;          // null between messages; allocated from the channel's allocator
  private boolean contentTooLarge;
  private long chunkSize;
  private long chunkRemaining;
  private boolean chunkLast;

  SinkFrameDecoder(int maxLineLength, boolean keepContent, long maxContentSize) {
    this.maxLineLength = maxLineLength;
    this.keepContent = keepContent;
    this.maxContentSize = maxContentSize;
  }

  /** Called by the session right after it answered DATA with 354. */
  void expectData() {
    if (mode != Mode.COMMAND) throw new IllegalStateException("DATA while reading " + mode);
    mode = Mode.DATA;
    contentTooLarge = false;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (mode) {
      case COMMAND -> decodeLine(ctx, in, out);
      case DATA -> decodeData(ctx, in, out);
      case CHUNK -> decodeChunk(in, out);
      default -> throw new IllegalStateException("unhandled mode " + mode);
    }
  }

  private void decodeLine(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
    if (discardingLine) {
      in.readerIndex(lf < 0 ? in.writerIndex() : lf + 1);
      discardingLine = lf < 0;
      return;
    }
    if (lf < 0) {
      if (in.readableBytes() > maxLineLength) {
        in.skipBytes(in.readableBytes());
        discardingLine = true;
        out.add(new SinkFrame.BadLine("5.5.2 Line too long"));
      }
      return;
    }
    int length = lf - in.readerIndex();
    if (length > maxLineLength) {
      in.readerIndex(lf + 1);
      out.add(new SinkFrame.BadLine("5.5.2 Line too long"));
      return;
    }
    if (length == 0 || in.getByte(lf - 1) != '\r') {
      in.readerIndex(lf + 1);
      out.add(new SinkFrame.BadLine("5.5.2 Bare LF; lines end with CRLF"));
      return;
    }
    String line = in.toString(in.readerIndex(), length - 1, UTF_8);
    in.readerIndex(lf + 1);
    Matcher bdat = BDAT.matcher(line);
    if (!bdat.matches()) {
      out.add(new SinkFrame.Command(line));
      return;
    }
    // The chunk follows without waiting for a reply, so it is framed here whatever the session decides.
    chunkSize = Long.parseLong(bdat.group(1));
    chunkRemaining = chunkSize;
    chunkLast = bdat.group(2) != null;
    if (keepContent && chunkSize <= maxContentSize) content = ctx.alloc().buffer((int) chunkSize);
    if (chunkSize == 0) {
      emitChunk(out);
    } else {
      mode = Mode.CHUNK;
    }
  }

  private void decodeData(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (content == null) content = ctx.alloc().buffer();
    boolean done = unstuffer.feed(in, content);
    if (!keepContent || content.readableBytes() > maxContentSize) {
      contentTooLarge |= keepContent;
      content.clear();   // bounded memory: the bytes were counted, nobody will read them
    }
    if (!done) return;
    byte[] bytes = keepContent && !contentTooLarge ? ByteBufUtil.getBytes(content) : NOTHING;
    long size = unstuffer.size();
    unstuffer.resetSize();
    releaseContent();
    mode = Mode.COMMAND;
    out.add(new SinkFrame.Data(bytes, size));
  }

  private void decodeChunk(ByteBuf in, List<Object> out) {
    int n = (int) Math.min(chunkRemaining, in.readableBytes());
    if (content != null) {
      content.writeBytes(in, n);
    } else {
      in.skipBytes(n);
    }
    chunkRemaining -= n;
    if (chunkRemaining == 0) {
      mode = Mode.COMMAND;
      emitChunk(out);
    }
  }

  private void emitChunk(List<Object> out) {
    byte[] bytes = content != null ? ByteBufUtil.getBytes(content) : NOTHING;
    releaseContent();
    out.add(new SinkFrame.Chunk(bytes, chunkSize, chunkLast));
  }

  private void releaseContent() {
    if (content != null) {
      content.release();
      content = null;
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    releaseContent();   // the connection went away mid-message
  }

  @Override
  public String toString() {
    return "SinkFrameDecoder(" + mode.name().toLowerCase(Locale.ROOT) + ")";
  }
}
