package io.runnel.kernel.config;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;

/** Reads {@code [metrics]}: off unless enabled, on loopback port 9464, path {@code /metrics}, 100 tenants and sites. */
final class MetricsConfigReader {

    private MetricsConfigReader() {
    }

    static MetricsConfig read(TomlSection s) throws ConfigException {
        boolean enabled = s.bool("enabled", false);
        InetSocketAddress listen = listen(s, "listen", "127.0.0.1:" + MetricsConfig.DEFAULT_PORT);
        String path = s.string("path", "/metrics");
        if (!path.matches("/[A-Za-z0-9._~/-]*")) {
            throw s.error("path", "expected a URL path such as \"/metrics\", got \"" + path + "\"");
        }
        int maxTenants = (int) s.integer("max_tenants", 100, 0, 100_000);
        int maxSites = (int) s.integer("max_sites", 100, 0, 100_000);
        s.rejectUnknownKeys();
        return new MetricsConfig(enabled, listen, path, maxTenants, maxSites);
    }

    /** An IP literal and a port: {@code 127.0.0.1:9464} or {@code [::1]:9464}; never a name, so no lookup. */
    private static InetSocketAddress listen(TomlSection s, String key, String fallback) throws ConfigException {
        String text = s.string(key, fallback);
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            host = ""; // IPv6 needs brackets around it to carry a port
        }
        if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
            throw s.error(key, "expected an IP address and port such as \"127.0.0.1:9464\" or \"[::1]:9464\", got \"" + text + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw s.error(key, "bad port in \"" + text + "\"");
        }
        if (port < 0 || port > 65535) {
            throw s.error(key, "port out of range in \"" + text + "\"");
        }
        return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port);
    }
}
