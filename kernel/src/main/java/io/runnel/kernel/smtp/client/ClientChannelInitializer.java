package io.runnel.kernel.smtp.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/** The only place the client pipeline order is written down; STARTTLS later puts "tls" in front. */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {

    private final ClientChannelHandler session;

    ClientChannelInitializer(ClientChannelHandler session) {
        this.session = session;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("replies", new ReplyDecoder());
        ch.pipeline().addLast("session", session);
    }
}
