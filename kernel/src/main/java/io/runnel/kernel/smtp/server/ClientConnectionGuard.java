package io.runnel.kernel.smtp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.runnel.kernel.anvil.Anvil;
import io.runnel.kernel.anvil.ClientKey;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;

/**
 * Applies the per-client session count and session rate (Postfix anvil) when a connection opens: one over either
 * gets {@code 421 4.7.0} and is closed before it is greeted. Clients in the exceptions pass untouched.
 */
@Sharable
final class ClientConnectionGuard extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<ClientKey> COUNTED = AttributeKey.valueOf(ClientConnectionGuard.class, "client");
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf(ClientConnectionGuard.class, "refused");

    private final Anvil anvil;
    private final Clock clock;
    private final String hostname;

    ClientConnectionGuard(Anvil anvil, Clock clock, String hostname) {
        this.anvil = anvil;
        this.clock = clock;
        this.hostname = hostname;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        if (anvil.exempt(peer.getAddress())) {
            ctx.fireChannelActive();
            return;
        }
        ClientKey client = anvil.key(peer.getAddress());
        Optional<Anvil.Refusal> refusal = anvil.connect(client, clock.instant());
        if (refusal.isPresent()) {
            ctx.channel().attr(REFUSED).set(true);
            ctx.writeAndFlush(refusal.get() == Anvil.Refusal.TOO_MANY_CONNECTIONS
                    ? SmtpReplies.tooManyConnectionsFrom(hostname, client)
                    : SmtpReplies.connectingTooFast(hostname, client)).addListener(ChannelFutureListener.CLOSE);
            return; // the session never starts: no greeting
        }
        ctx.channel().attr(COUNTED).set(client);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (Boolean.TRUE.equals(ctx.channel().attr(REFUSED).get())) {
            ReferenceCountUtil.release(msg); // a refused connection's input goes nowhere
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ClientKey client = ctx.channel().attr(COUNTED).getAndSet(null);
        if (client != null) {
            anvil.disconnect(client);
        }
        ctx.fireChannelInactive();
    }
}
