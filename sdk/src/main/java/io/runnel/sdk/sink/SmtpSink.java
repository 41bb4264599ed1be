package io.runnel.sdk.sink;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private final Optional<Channel> statsChannel;

  private SmtpSink(EventLoopGroup group, Channel serverChannel, SinkRecorder recorder, Optional<Channel> statsChannel) {
    this.group = group;
    this.serverChannel = serverChannel;
    this.recorder = recorder;
    this.statsChannel = statsChannel;
  }

  /** Binds and starts serving; the sink is ready for connections when this returns. */
  public static SmtpSink start(SinkOptions options) throws IOException {
    SinkRecorder recorder = new SinkRecorder(options.keepMessages(), options.keepMessageIds(), options.faults(), Clock.systemUTC());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.ioThreads(), NioIoHandler.newFactory());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new SinkChannelInitializer(options, recorder));
    Channel smtp = bind(bootstrap, group, options, options.port(), Optional.empty());
    Optional<Channel> stats = Optional.empty();
    if (options.statsPort().isPresent()) {
      ServerBootstrap statsBootstrap = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new StatsHandler(recorder));
      stats = Optional.of(bind(statsBootstrap, group, options, options.statsPort().get(), Optional.of(smtp)));
    }
    return new SmtpSink(group, smtp, recorder, stats);
  }

  private static Channel bind(ServerBootstrap bootstrap, EventLoopGroup group, SinkOptions options, int port,
                              Optional<Channel> opened) throws IOException {
    ChannelFuture bound = bootstrap.bind(options.bindAddress(), port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      opened.ifPresent(c -> c.close().awaitUninterruptibly());
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
      throw new IOException("cannot listen on " + options.bindAddress().getHostAddress() + ":" + port, bound.cause());
    }
    return bound.channel();
  }

  /** Answers each connection with one line of JSON counters and closes it. */
  @ChannelHandler.Sharable
  private static final class StatsHandler extends ChannelInboundHandlerAdapter {
    private final SinkRecorder recorder;

    StatsHandler(SinkRecorder recorder) {
      this.recorder = recorder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      byte[] line = (recorder.stats().toJson() + "\n").getBytes(StandardCharsets.US_ASCII);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(line)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();   // a reader that went away early; nothing to do
    }
  }

  /** The port serving {@link SinkStats} lines, when {@link SinkOptions#statsPort()} asked for one. */
  public Optional<Integer> statsPort() {
    return statsChannel.map(c -> ((InetSocketAddress) c.localAddress()).getPort());
  }

  /** All counters at once. */
  public SinkStats stats() {
    return recorder.stats();
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

  /**
   * How many accepted messages carried each Message-ID (the header's value as sent, "" when a message has none);
   * always empty unless {@link SinkOptions#keepMessageIds()}.
   */
  public Map<String, Long> messageIds() {
    return recorder.messageIds();
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
    statsChannel.ifPresent(c -> c.close().awaitUninterruptibly());
    serverChannel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
