package io.runnel.sdk.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whatever a client (Runnel, or anything pointed at the sink) sends: the sink's decoder yields command lines, bad
 * lines, DATA content and BDAT chunks, the same however TCP cut the stream, and never an exception. The first input
 * byte picks whether content is kept and the read size. Seeds: {@code SinkFrameDecoderFuzzTestInputs/stream/}.
 */
class SinkFrameDecoderFuzzTest {

  private static final int MAX_LINE = 64;
  private static final long MAX_CONTENT = 300;

  @FuzzTest(maxDuration = "5m")
  void stream(byte[] input) {
    if (input.length == 0) {
      return;
    }
    boolean keep = (input[0] & 1) == 1;
    int cut = ((input[0] >> 1) & 7) + 1;
    byte[] stream = Arrays.copyOfRange(input, 1, input.length);
    assertThat(transcript(keep, stream, cut)).isEqualTo(transcript(keep, stream, stream.length));
  }

  private static List<String> transcript(boolean keep, byte[] stream, int cut) {
    SinkFrameDecoder decoder = new SinkFrameDecoder(MAX_LINE, keep, MAX_CONTENT);
    List<String> events = new ArrayList<>();
    EmbeddedChannel channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SinkFrame.Command c) {
          events.add("CMD " + c.line());
          if (c.line().equalsIgnoreCase("DATA")) {
            decoder.expectData(); // the session answers 354 at once here
          }
        } else if (msg instanceof SinkFrame.BadLine b) {
          events.add("BAD " + b.reason());
        } else if (msg instanceof SinkFrame.Data d) {
          assertThat((long) d.content().length).isLessThanOrEqualTo(d.size());
          events.add("DATA " + d.size() + " " + Arrays.hashCode(d.content()));
        } else if (msg instanceof SinkFrame.Chunk c) {
          assertThat((long) c.content().length).isLessThanOrEqualTo(c.size());
          events.add("CHUNK " + c.size() + " " + c.last() + " " + Arrays.hashCode(c.content()));
        } else {
          throw new AssertionError("unexpected " + msg);
        }
      }
    });
    try {
      for (int i = 0; i < stream.length; i += cut) {
        channel.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(cut, stream.length - i)));
      }
    } finally {
      channel.finishAndReleaseAll();
    }
    return events;
  }
}
