package io.runnel.kernel.smtp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.ReceptionFacts.TlsFacts;
import io.runnel.kernel.trace.SessionEvent;
import io.runnel.kernel.trace.SessionTrace;
import io.runnel.kernel.trace.SessionTracer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Matches replies to the commands written, in order (pipelined commands simply queue up), and runs the timer of the
 * reply expected next. The first failure (timeout, lost connection, malformed reply, TLS) is kept, fails every
 * outstanding and later command, and closes the channel: a connection that failed is never used again.
 * Everything here runs on the channel's event loop; futures complete there too.
 */
final class ClientChannelHandler extends SimpleChannelInboundHandler<SmtpReply> {

    private record Expectation(SmtpStage stage, Duration timeout, CompletableFuture<SmtpReply> reply) {
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private final Duration bannerTimeout;
    private final CompletableFuture<SmtpReply> banner = new CompletableFuture<>();
    private final ArrayDeque<Expectation> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private SmtpStage stage = SmtpStage.CONNECT;
    private CompletableFuture<TlsFacts> handshake;
    private Duration handshakeTimeout = Duration.ZERO;
    private SmtpClientException failure;

    private final SessionTrace trace;

    ClientChannelHandler(Duration bannerTimeout, SessionTrace trace) {
        this.bannerTimeout = bannerTimeout;
        this.trace = trace;
    }

    /** Completes with the greeting; registered before the connection is active so it cannot be missed. */
    CompletableFuture<SmtpReply> banner() {
        return banner;
    }

    Optional<SmtpClientException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Writes one command line; flushes when {@code flush}, so a pipelined group goes out in one write. */
    CompletableFuture<SmtpReply> command(String line, SmtpStage commandStage, Duration timeout, boolean flush) {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("command line must not contain CR or LF");
        }
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.COMMAND, SessionTracer.maskCommand(line, false));
        }
        return send(ByteBufUtil.writeUtf8(ctx.alloc(), line + "\r\n"), commandStage, timeout, flush);
    }

    /** Writes dot-stuffed DATA content, taking ownership of it, and expects the end-of-data reply. */
    CompletableFuture<SmtpReply> content(ByteBuf stuffed, Duration timeout) {
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.DATA, stuffed.readableBytes() + " octets");
        }
        return send(stuffed, SmtpStage.DATA_DOT, timeout, true);
    }

    /**
     * Writes {@code BDAT <size> LAST} and the content unchanged, in one write (RFC 3030), and expects the end-of-data
     * reply. Content that does not end with CRLF gets one, as the end of DATA would add it.
     */
    CompletableFuture<SmtpReply> lastChunk(byte[] content, Duration timeout) {
        ByteBuf body = Unpooled.wrappedBuffer(content);
        if (!DotStuffer.endsWithLine(content)) {
            body = Unpooled.wrappedBuffer(body, Unpooled.wrappedBuffer(CRLF));
        }
        String line = "BDAT " + body.readableBytes() + " LAST";
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.COMMAND, line);
            trace.emit(SessionEvent.Kind.DATA, body.readableBytes() + " octets");
        }
        ByteBuf command = ByteBufUtil.writeAscii(ctx.alloc(), line + "\r\n");
        return send(Unpooled.wrappedBuffer(command, body), SmtpStage.BDAT_LAST, timeout, true);
    }

    private CompletableFuture<SmtpReply> send(ByteBuf bytes, SmtpStage commandStage, Duration timeout, boolean flush) {
        if (failure != null) {
            bytes.release();
            return CompletableFuture.failedFuture(failure);
        }
        ctx.write(bytes, ctx.voidPromise());   // write errors surface as exceptionCaught, then as ConnectionLost
        if (flush) {
            ctx.flush();
        }
        return expect(commandStage, timeout, new CompletableFuture<>());
    }

    /** Adds SSL and completes once the handshake is done; the reply to STARTTLS must have been read. */
    CompletableFuture<TlsFacts> startTls(SSLEngine engine, Duration timeout) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        SslHandler ssl = new SslHandler(engine);   // client side: it speaks first, no startTls flag
        ssl.setHandshakeTimeoutMillis(timeout.toMillis());
        handshakeTimeout = timeout;
        stage = SmtpStage.TLS_HANDSHAKE;
        handshake = new CompletableFuture<>();
        CompletableFuture<TlsFacts> done = handshake;
        ctx.pipeline().addFirst("tls", ssl);
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                SSLSession session = ssl.engine().getSession();
                stage = SmtpStage.IDLE;
                if (trace.active()) {
                    trace.emit(SessionEvent.Kind.TLS, session.getProtocol() + " " + session.getCipherSuite());
                }
                done.complete(new TlsFacts(session.getProtocol(), session.getCipherSuite()));
            } else {
                fail(classify(f.cause()));
            }
        });
        return done;
    }

    private CompletableFuture<SmtpReply> expect(SmtpStage expected, Duration timeout, CompletableFuture<SmtpReply> reply) {
        pending.add(new Expectation(expected, timeout, reply));
        stage = expected;
        if (pending.size() == 1) {
            arm();
        }
        return reply;
    }

    private void arm() {
        Expectation head = pending.peek();
        timer = ctx.executor().schedule(() -> fail(new SmtpClientException.Timeout(head.stage(), head.timeout())),
                head.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        trace.attach(context.channel());
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        expect(SmtpStage.BANNER, bannerTimeout, banner);
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.CONNECTED, "");
        }
        context.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, SmtpReply reply) {
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.REPLY, reply.toString());
        }
        if (failure != null) {
            return;
        }
        Expectation head = pending.poll();
        disarm();
        if (head == null) {
            // Unasked-for: typically a 421 before an idle close. The session state is unknown, so stop using it.
            fail(new SmtpClientException.ProtocolError(SmtpStage.IDLE, "unexpected reply " + reply, null));
            return;
        }
        if (pending.isEmpty()) {
            stage = SmtpStage.IDLE;
        } else {
            arm();
        }
        head.reply().complete(reply);   // may write the next command synchronously
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.CLOSED, "");
        }
        fail(stage == SmtpStage.TLS_HANDSHAKE
                ? new SmtpClientException.TlsFailed(stage, "connection closed during the TLS handshake", null)
                : new SmtpClientException.ConnectionLost(stage, null));
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        fail(classify(cause));
    }

    private SmtpClientException classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ReplyDecoder.MalformedReply m) {
                return new SmtpClientException.ProtocolError(stage, m.line(), cause);
            }
            if (t instanceof TooLongFrameException) {
                return new SmtpClientException.ProtocolError(stage, "reply line longer than " + ReplyDecoder.MAX_LINE_LENGTH, cause);
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return new SmtpClientException.Timeout(SmtpStage.TLS_HANDSHAKE, handshakeTimeout);
            }
            if (t instanceof SSLException) {
                return new SmtpClientException.TlsFailed(stage, t.getMessage(), cause);
            }
        }
        return cause instanceof IOException
                ? new SmtpClientException.ConnectionLost(stage, cause)
                : new SmtpClientException.ProtocolError(stage, String.valueOf(cause), cause);
    }

    /** Keeps the first failure, fails everything outstanding with it and closes the channel. */
    private void fail(SmtpClientException cause) {
        if (failure != null) {
            return;
        }
        failure = cause;
        disarm();
        ctx.close();
        if (handshake != null) {
            handshake.completeExceptionally(cause);
        }
        for (Expectation e = pending.poll(); e != null; e = pending.poll()) {
            e.reply().completeExceptionally(cause);
        }
        banner.completeExceptionally(cause);   // no-op once the greeting came
    }
}
