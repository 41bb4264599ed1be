package io.runnel.kernel.trace;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * One traced moment of an SMTP session.
 *
 * @param sessionId the channel's id, unique within this run
 * @param peer      the remote end
 * @param local     our end
 * @param text      the command or reply line (AUTH data masked), or the detail for other kinds; never content
 * @param domain    outbound: the MX host name; inbound: the HELO name once given; empty otherwise
 */
public record SessionEvent(Instant time, String sessionId, Direction direction, Kind kind, InetSocketAddress peer,
                           InetSocketAddress local, String text, String domain) {

    public enum Direction { INBOUND, OUTBOUND }

    public enum Kind { CONNECTED, COMMAND, REPLY, TLS, DATA, CLOSED, ERROR }

    public SessionEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(domain, "domain");
    }
}
