package io.runnel.api.filter;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Read-only facts about the SMTP session a message arrived on. Immutable; safe to keep.
 *
 * @param remoteAddress the client's IP address
 * @param helo          the name the client gave in HELO/EHLO
 * @param tls           whether the session was encrypted when the message was received
 * @param authIdentity  the authenticated user, when the client authenticated
 * @param tenant        the tenant the message belongs to, when known
 * @since API 1.0
 */
public record FilterContext(InetAddress remoteAddress, String helo, boolean tls, Optional<String> authIdentity,
                            Optional<String> tenant) {

    public FilterContext {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(helo, "helo");
        Objects.requireNonNull(authIdentity, "authIdentity");
        Objects.requireNonNull(tenant, "tenant");
    }
}
