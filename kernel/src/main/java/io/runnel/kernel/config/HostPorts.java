package io.runnel.kernel.config;

import io.netty.util.NetUtil;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parses {@code host[:port]} as operators write it: names, IPv4 literals, and IPv6 as {@code [::1]:25}. Never touches DNS. */
final class HostPorts {

    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

    private HostPorts() {
    }

    static RouteConfig.Host parse(String text, int defaultPort) {
        String host;
        int port = defaultPort;
        String t = text.trim();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ] in \"" + text + "\"");
            }
            host = t.substring(1, close);
            if (!NetUtil.isValidIpV6Address(host)) {
                throw new IllegalArgumentException("not an IPv6 address in \"" + text + "\"");
            }
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected [address]:port, got \"" + text + "\"");
                }
                port = port(rest.substring(1), text);
            }
        } else if (t.indexOf(':') != t.lastIndexOf(':')) {
            // several colons and no brackets: a bare IPv6 literal, which cannot carry a port
            host = t;
            if (!NetUtil.isValidIpV6Address(host)) {
                throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"; write IPv6 with a port as [::1]:25");
            }
        } else {
            int colon = t.indexOf(':');
            host = colon < 0 ? t : t.substring(0, colon);
            if (colon >= 0) {
                port = port(t.substring(colon + 1), text);
            }
            host = host.toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw new IllegalArgumentException("not a host name or IP address: \"" + text + "\"");
            }
        }
        return new RouteConfig.Host(host, port);
    }

    /** True for an IPv4 or IPv6 literal (without brackets). */
    static boolean isIpLiteral(String host) {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    /** A domain name: lower case, without the trailing dot; throws when it is not one. */
    static String domain(String text) {
        String d = text.trim().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (!HOST_NAME.matcher(d).matches()) {
            throw new IllegalArgumentException("not a domain name: \"" + text + "\"");
        }
        return d;
    }

    private static int port(String digits, String text) {
        int port;
        try {
            port = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + text + "\"", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in \"" + text + "\"");
        }
        return port;
    }
}
