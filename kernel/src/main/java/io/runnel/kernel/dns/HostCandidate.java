package io.runnel.kernel.dns;

import java.util.Objects;

/**
 * One host to try for a delivery. Its addresses are looked up per attempt ({@link Destinations#addresses}), so a
 * long-lived plan never pins addresses past their TTL.
 *
 * @param host a host name (lower case, no trailing dot) or an IP literal (IPv6 without brackets)
 * @param port the SMTP port
 */
public record HostCandidate(String host, int port) {

    public HostCandidate {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** {@code host:port}, IPv6 literals in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
