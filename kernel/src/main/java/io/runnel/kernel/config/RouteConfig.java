package io.runnel.kernel.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code [[route]]}: mail for matching domains goes to fixed hosts instead of the domain's MX records, like
 * Postfix's relayhost and transport maps (smart hosts, internal relays, test sinks).
 *
 * @param domain {@code "example.com"} matches that domain only, {@code ".example.com"} its sub-domains only,
 *               {@code "*"} every domain; lower case, without a trailing dot
 * @param hosts  where to deliver, tried in this order
 */
public record RouteConfig(String domain, List<Host> hosts) {

    public RouteConfig {
        Objects.requireNonNull(domain, "domain");
        hosts = List.copyOf(hosts);
        if (domain.isEmpty() || domain.equals(".") || !domain.equals(domain.toLowerCase(Locale.ROOT)) || domain.endsWith(".")) {
            throw new IllegalArgumentException("domain must be lower case, without a trailing dot: \"" + domain + "\"");
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one host");
        }
    }

    /** True for {@code "*"}. */
    public boolean isWildcard() {
        return domain.equals("*");
    }

    /** True for {@code ".example.com"}. */
    public boolean isSuffix() {
        return domain.startsWith(".");
    }

    /**
     * A relay host.
     *
     * @param name a host name, or an IP address literal (IPv6 without brackets)
     * @param port the SMTP port
     */
    public record Host(String name, int port) {
        public Host {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("host name is required");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** {@code host:port}, IPv6 literals in brackets. */
        @Override
        public String toString() {
            return (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + port;
        }
    }
}
