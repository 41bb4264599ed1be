package io.runnel.sdk.sink;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fast ESMTP server that accepts and counts mail, for benchmarks and delivery tests. It speaks EHLO/HELO,
 * MAIL, RCPT, DATA, BDAT, RSET, NOOP and QUIT, advertises PIPELINING, 8BITMIME, SMTPUTF8, CHUNKING, SIZE and
 * ENHANCEDSTATUSCODES (or the extensions its options list), and answers RCPT as its {@link RecipientPolicy} says.
 * It can offer STARTTLS and misbehave as scripted by {@link SinkFault}s. It stores nothing on disk.
 *
 * <pre>{@code
 * try (SmtpSink sink = SmtpSink.start(SinkOptions.defaults().keepingMessages(true))) {
 *   deliverTo("127.0.0.1", sink.port());
 *   assertThat(sink.received()).hasSize(1);
 * }
 * }</pre>
 */
public final class SmtpSink implements AutoCloseable {

  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final SinkRecorder recorder;

  private SmtpSink(EventLoopGroup group, Channel serverChannel, SinkRecorder recorder) {
    this.group = group;
    this.serverChannel = serverChannel;
    this.recorder = recorder;
  }

  /** Binds and starts serving; the sink is ready for connections when this returns. */
  public static SmtpSink start(SinkOptions options) throws IOException {
    SinkRecorder recorder = new SinkRecorder(options.keepMessages(), options.faults());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.ioThreads(), NioIoHandler.newFactory());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new SinkChannelInitializer(options, recorder));
    ChannelFuture bound = bootstrap.bind(options.bindAddress(), options.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
      throw new IOException("cannot listen on " + options.bindAddress().getHostAddress() + ":" + options.port(),
          bound.cause());
    }
    return new SmtpSink(group, bound.channel(), recorder);
  }

  /** The port actually bound, useful when the options asked for port 0. */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Accepted messages so far. A message is counted before its 250 reply is sent. */
  public long messageCount() {
    return recorder.messages();
  }

  /** Content bytes of accepted messages so far. */
  public long byteCount() {
    return recorder.bytes();
  }

  /** The accepted messages in arrival order; always empty unless {@link SinkOptions#keepMessages()}. */
  public List<ReceivedMessage> received() {
    return recorder.received();
  }

  /** Remote addresses of the connections so far, in accept order; always empty unless messages are kept. */
  public List<InetSocketAddress> peers() {
    return recorder.peers();
  }

  /** Command lines received so far, in order; always empty unless {@link SinkOptions#keepMessages()}. */
  public List<SinkCommand> commands() {
    return recorder.commands();
  }

  /** Stops listening, closes every connection and releases the event loop threads. */
  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
