package io.runnel.kernel.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads {@code [redis]}: {@code url} ({@code redis://[user[:password]@]host[:port][/db]}, {@code rediss://} for TLS),
 * {@code password_file}, {@code key_prefix}, {@code timeout}, {@code lease_ttl}, {@code probe_interval}. Errors never
 * quote the URL, which may hold a password.
 */
final class RedisConfigReader {

    private RedisConfigReader() {
    }

    static RedisConfig read(TomlSection s, Path home) throws ConfigException {
        Optional<String> url = s.optionalString("url");
        Optional<String> passwordFile = s.optionalString("password_file");
        String prefix = s.string("key_prefix", RedisConfig.DEFAULT_KEY_PREFIX);
        if (!prefix.matches("[!-~]{0,64}")) {
            throw s.error("key_prefix", "expected up to 64 printable characters without spaces, got \"" + prefix + "\"");
        }
        Duration timeout = between(s, "timeout", RedisConfig.DEFAULT_TIMEOUT, Duration.ofMillis(1), Duration.ofSeconds(10));
        Duration leaseTtl = between(s, "lease_ttl", RedisConfig.DEFAULT_LEASE_TTL, Duration.ofSeconds(1), Duration.ofHours(1));
        Duration probe = between(s, "probe_interval", RedisConfig.DEFAULT_PROBE_INTERVAL, Duration.ofMillis(100), Duration.ofHours(1));
        s.rejectUnknownKeys();
        if (timeout.multipliedBy(3).compareTo(leaseTtl) >= 0) {
            throw s.error("timeout", "must be well under a third of lease_ttl (" + leaseTtl.toMillis() + "ms): leases are renewed every third");
        }
        if (url.isEmpty()) {
            if (passwordFile.isPresent()) {
                throw s.error("password_file", "needs url");
            }
            return new RedisConfig(Optional.empty(), prefix, timeout, leaseTtl, probe);
        }
        RedisConfig.Endpoint endpoint = endpoint(s, url.get());
        if (passwordFile.isPresent()) {
            if (endpoint.password().isPresent()) {
                throw s.error("password_file", "the url already holds a password: give it in one place");
            }
            endpoint = new RedisConfig.Endpoint(endpoint.host(), endpoint.port(), endpoint.tls(), endpoint.database(),
                    endpoint.user(), Optional.of(password(s, home.resolve(passwordFile.get()))));
        }
        return new RedisConfig(Optional.of(endpoint), prefix, timeout, leaseTtl, probe);
    }

    private static RedisConfig.Endpoint endpoint(TomlSection s, String text) throws ConfigException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw s.error("url", "not a URL (expected redis://host:port or rediss://host:port)");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw s.error("url", "expected a redis:// or rediss:// URL");
        }
        if (uri.getHost() == null) {
            throw s.error("url", "no host in the URL (expected redis://host:port)");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw s.error("url", "query and fragment are not supported in the URL");
        }
        int database = 0;
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        if (!path.isEmpty() && !path.equals("/")) {
            if (!path.matches("/[0-9]{1,5}")) {
                throw s.error("url", "the path must be a database number such as /0");
            }
            database = Integer.parseInt(path.substring(1));
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            // redis://:password@host (the usual form without ACL users) or redis://user:password@host
            String name = colon < 0 ? info : info.substring(0, colon);
            user = name.isEmpty() ? Optional.empty() : Optional.of(name);
            password = colon < 0 ? Optional.empty() : Optional.of(info.substring(colon + 1));
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int port = uri.getPort() < 0 ? RedisConfig.Endpoint.DEFAULT_PORT : uri.getPort();
        if (port == 0) {
            throw s.error("url", "port 0 is not a Redis port");
        }
        return new RedisConfig.Endpoint(host, port, scheme.equals("rediss"), database, user, password);
    }

    private static String password(TomlSection s, Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (IOException e) {
            throw s.error("password_file", "cannot read " + file);
        }
        if (text.isEmpty()) {
            throw s.error("password_file", file + " is empty");
        }
        return text;
    }

    private static Duration between(TomlSection s, String key, Duration fallback, Duration min, Duration max) throws ConfigException {
        Duration d = s.duration(key, fallback);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw s.error(key, "must be between " + min.toMillis() + "ms and " + max.toSeconds() + "s");
        }
        return d;
    }
}
