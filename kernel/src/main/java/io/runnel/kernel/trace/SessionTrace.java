package io.runnel.kernel.trace;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/** One session's side of tracing: stamps events with the channel's identity. Cheap to create. */
public final class SessionTrace {

    private final SessionTracer tracer;
    private final SessionEvent.Direction direction;
    private Channel channel;
    private String domain = "";

    public SessionTrace(SessionTracer tracer, SessionEvent.Direction direction) {
        this.tracer = tracer;
        this.direction = direction;
    }

    /** The session's channel, once it exists. */
    public void attach(Channel channel) {
        this.channel = channel;
    }

    /** The HELO name (inbound) or the MX host name (outbound). */
    public void domain(String domain) {
        this.domain = domain;
    }

    public boolean active() {
        return tracer.active() && channel != null;
    }

    public void emit(SessionEvent.Kind kind, String text) {
        if (!active()) {
            return;
        }
        tracer.emit(new SessionEvent(tracer.clock().instant(), channel.id().asShortText(), direction, kind,
                (InetSocketAddress) channel.remoteAddress(), (InetSocketAddress) channel.localAddress(), text, domain));
    }
}
