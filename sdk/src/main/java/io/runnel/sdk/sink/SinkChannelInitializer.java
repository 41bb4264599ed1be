package io.runnel.sdk.sink;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;

/** The only place the sink's pipeline order is written down. */
final class SinkChannelInitializer extends ChannelInitializer<SocketChannel> {

  /** RFC 5321 4.5.3.1.4 allows 512 octets; extension parameters need some room above that. */
  private static final int MAX_LINE_LENGTH = 4096;

  private final SinkOptions options;
  private final SinkRecorder recorder;

  SinkChannelInitializer(SinkOptions options, SinkRecorder recorder) {
    this.options = options;
    this.recorder = recorder;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    SinkFrameDecoder decoder =
        new SinkFrameDecoder(MAX_LINE_LENGTH, options.capturesContent(), options.maxMessageSize());
    ChannelPipeline p = ch.pipeline();
    p.addLast("framer", decoder);
    p.addLast("reply", SinkReplyEncoder.INSTANCE);
    p.addLast("session", new SinkSessionHandler(options, decoder, recorder));
  }
}
