package io.runnel.kernel.delivery;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mail server that hangs: it accepts TCP connections and then never answers (no greeting), or talks SMTP up to
 * DATA and never answers the message. Reads and drops whatever the client sends, so only the client's timeouts end
 * a connection. Counts connections at the peer: how many at once at most, and how long the longest one lasted.
 */
final class StallingMx implements AutoCloseable {

    enum Stall {
        /** Accepts the connection, never sends the 220. */
        BEFORE_GREETING,
        /** Greets, accepts EHLO, MAIL, RCPT and DATA, never answers the end of the message. */
        AFTER_DATA
    }

    private final Stall stall;
    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicLong longestMillis = new AtomicLong();
    private final AtomicInteger messagesStalled = new AtomicInteger();

    StallingMx(InetSocketAddress address, Stall stall) throws InterruptedException {
        this.stall = stall;
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("stalling-mx"), NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true) // the client's FIN is seen at once, see Session
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Session());
                    }
                })
                .bind(address).sync().channel();
    }

    int mostOpenAtOnce() {
        return mostOpen.get();
    }

    int accepted() {
        return accepted.get();
    }

    /** Connections the client gave up on (closed) so far. */
    int closedByClient() {
        return closed.get();
    }

    long longestConnectionMillis() {
        return longestMillis.get();
    }

    /** Messages whose DATA was answered with 354 and then never with a reply. */
    int messagesStalled() {
        return messagesStalled.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One connection: SMTP by lines until it stalls, then everything dropped. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private final StringBuilder line = new StringBuilder();
        private long openedAt;
        private boolean stalled;
        private boolean ended;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            openedAt = System.nanoTime();
            accepted.incrementAndGet();
            // counted once this select round's reads are done: a client that closed one connection and opened the
            // next has its FIN in the same round as the new accept, and Netty may handle the accept first
            ctx.executor().execute(() -> mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max));
            stalled = stall == Stall.BEFORE_GREETING;
            if (!stalled) {
                reply(ctx, "220 stalling.test ESMTP");
            }
        }

        /**
         * The client closed: counted as soon as its FIN (or reset) is read, not when the channel goes inactive, which
         * Netty reports only after the rest of the same select round. A new connection accepted in that round would
         * otherwise seem to overlap the old one.
         */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                ended();
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended();
        }

        private void ended() {
            if (!ended) {
                ended = true;
                open.decrementAndGet();
                closed.incrementAndGet();
                longestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt), Math::max);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                while (in.isReadable() && !stalled) {
                    char c = (char) in.readByte();
                    if (c != '\n') {
                        line.append(c);
                        continue;
                    }
                    String command = line.toString().strip().toUpperCase(Locale.ROOT);
                    line.setLength(0);
                    if (command.startsWith("DATA")) {
                        reply(ctx, "354 go ahead");
                        stalled = true; // the content and its final dot are never answered
                        messagesStalled.incrementAndGet();
                    } else if (command.startsWith("QUIT")) {
                        reply(ctx, "221 bye");
                        ctx.close();
                    } else {
                        reply(ctx, "250 ok"); // EHLO (no extensions), MAIL, RCPT, RSET, NOOP
                    }
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ended(); // a reset
            ctx.close();
        }

        private void reply(ChannelHandlerContext ctx, String text) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.US_ASCII));
        }
    }
}
