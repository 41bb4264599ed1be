package io.runnel.kernel.smtp.client;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * How one outbound connection presents itself: the egress source's EHLO name and address, and its TLS and timeout
 * settings.
 *
 * @param ehloName    the name sent in EHLO/HELO; must be a domain or an address literal
 * @param bindAddress local address the connection is made from; empty lets the OS choose
 * @param tls         STARTTLS policy for this destination
 * @param timeouts    per-phase timeouts
 * @param chunking    whether a message goes as one pipelined {@code BDAT LAST} (RFC 3030) when the server offers
 *                    CHUNKING and PIPELINING, instead of DATA
 */
public record ClientSessionConfig(String ehloName, Optional<InetAddress> bindAddress, TlsPolicy tls,
                                  ClientTimeouts timeouts, boolean chunking) {

    public ClientSessionConfig {
        Objects.requireNonNull(ehloName, "ehloName");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(timeouts, "timeouts");
        if (ehloName.isBlank() || ehloName.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw new IllegalArgumentException("bad EHLO name: " + ehloName);
        }
    }

    /** No source binding, opportunistic STARTTLS without verification, default timeouts, CHUNKING used when offered. */
    public static ClientSessionConfig of(String ehloName) {
        return new ClientSessionConfig(ehloName, Optional.empty(), TlsPolicy.OPPORTUNISTIC_INSECURE, ClientTimeouts.defaults(), true);
    }

    public ClientSessionConfig withBindAddress(InetAddress address) {
        return new ClientSessionConfig(ehloName, Optional.of(address), tls, timeouts, chunking);
    }

    public ClientSessionConfig withTls(TlsPolicy policy) {
        return new ClientSessionConfig(ehloName, bindAddress, policy, timeouts, chunking);
    }

    public ClientSessionConfig withTimeouts(ClientTimeouts newTimeouts) {
        return new ClientSessionConfig(ehloName, bindAddress, tls, newTimeouts, chunking);
    }

    public ClientSessionConfig withChunking(boolean useChunking) {
        return new ClientSessionConfig(ehloName, bindAddress, tls, timeouts, useChunking);
    }
}
