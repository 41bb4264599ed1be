package io.runnel.kernel.boot;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty event loops all socket I/O runs on: native epoll where the platform has it, NIO elsewhere. Stopped
 * last among the network services, after listeners have closed, so no session loses its final reply.
 */
public final class EventLoops implements Service {

    private static final Logger log = LoggerFactory.getLogger(EventLoops.class);

    private final boolean epoll = Epoll.isAvailable();
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;

    public EventLoopGroup acceptors() {
        return acceptors;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Class<? extends ServerSocketChannel> serverChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The channel type for outbound connections on {@link #workers()}. */
    public Class<? extends SocketChannel> clientChannelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public int phase() {
        return Phases.EVENT_LOOPS;
    }

    @Override
    public String name() {
        return "event-loops";
    }

    @Override
    public void start() {
        int threads = Runtime.getRuntime().availableProcessors();
        acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("smtp-accept"), factory());
        workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("smtp-io"), factory());
        log.atInfo().addKeyValue("transport", epoll ? "epoll" : "nio").addKeyValue("threads", threads).log("event loops started");
    }

    private IoHandlerFactory factory() {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    @Override
    public void stop(Duration grace) {
        long quiet = Math.min(100, grace.toMillis());
        acceptors.shutdownGracefully(quiet, grace.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(quiet, grace.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
}
