package io.runnel.kernel.config;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code [grpc]}. Off loopback the control plane must be private: TLS plus a bearer token or client
 * certificates, or the daemon refuses to start, naming the line.
 */
final class GrpcConfigReader {

    private GrpcConfigReader() {
    }

    static GrpcConfig read(TomlSection s, Path home) throws ConfigException {
        boolean enabled = s.bool("enabled", true);
        InetSocketAddress listen = listen(s);
        Optional<Path> certificate = file(s, "tls_certificate", home);
        Optional<Path> key = file(s, "tls_private_key", home);
        Optional<Path> token = file(s, "token_file", home);
        Optional<Path> clientCa = file(s, "client_ca_file", home);
        s.rejectUnknownKeys();
        if (certificate.isPresent() != key.isPresent()) {
            throw s.error(certificate.isPresent() ? "tls_private_key" : "tls_certificate",
                    "tls_certificate and tls_private_key must be given together");
        }
        if (clientCa.isPresent() && certificate.isEmpty()) {
            throw s.error("client_ca_file", "client certificates need TLS: set tls_certificate and tls_private_key");
        }
        if (enabled && !listen.getAddress().isLoopbackAddress()) {
            if (certificate.isEmpty()) {
                throw s.error("listen", "a non-loopback address needs TLS: set tls_certificate and tls_private_key");
            }
            if (token.isEmpty() && clientCa.isEmpty()) {
                throw s.error("listen", "a non-loopback address needs authentication: set token_file or client_ca_file");
            }
        }
        return new GrpcConfig(enabled, listen, certificate, key, token, clientCa);
    }

    /** {@code address:port}; port 0 takes a free port (tests). */
    private static InetSocketAddress listen(TomlSection s) throws ConfigException {
        String text = s.string("listen", "127.0.0.1:" + GrpcConfig.DEFAULT_PORT);
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!HostPorts.isIpLiteral(host)) {
            throw s.error("listen", "expected IP address:port such as \"127.0.0.1:8901\" or \"[::1]:8901\", got \"" + text + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw s.error("listen", "bad port in \"" + text + "\"");
        }
        return new InetSocketAddress(host, port); // a literal: no lookup happens
    }

    private static Optional<Path> file(TomlSection s, String key, Path home) throws ConfigException {
        Optional<Path> path = s.optionalString(key).map(home::resolve);
        if (path.isPresent() && !Files.isReadable(path.get())) {
            throw s.error(key, "cannot read " + path.get());
        }
        return path;
    }
}
