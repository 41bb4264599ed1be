package io.runnel.kernel.smtp.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.runnel.kernel.config.ListenerConfig;
import io.runnel.kernel.config.ListenerConfig.TlsMode;
import java.util.concurrent.TimeUnit;

/** The one place the order of a listener's pipeline is written down. */
final class SmtpChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final ListenerContext context;
    private final ConnectionLimiter limiter;
    private final ClientConnectionGuard clients;

    SmtpChannelInitializer(ListenerContext context, ConnectionLimiter limiter, ClientConnectionGuard clients) {
        this.context = context;
        this.limiter = limiter;
        this.clients = clients;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ListenerConfig config = context.listener();
        ChannelPipeline p = ch.pipeline();
        if (config.tls() == TlsMode.IMPLICIT) {
            p.addLast("tls", context.tls().orElseThrow().context().newHandler(ch.alloc()));   // STARTTLS adds it here later
        }
        p.addLast("flush", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        p.addLast("reply", SmtpReplyEncoder.INSTANCE);
        p.addLast("idle", new IdleStateHandler(config.limits().idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("limits", limiter);
        p.addLast("client-limits", clients);
        p.addLast("early-talker", new EarlyTalkerGuard(SmtpReplies.talkedBeforeGreeting(config.hostname())));
        SmtpFramer framer = new SmtpFramer(config.limits().maxCommandLine(), config.bareLineEndings());
        p.addLast("framer", framer);
        p.addLast("session", new SmtpSession(context, framer));
    }
}
