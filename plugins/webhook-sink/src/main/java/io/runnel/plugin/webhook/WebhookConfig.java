package io.runnel.plugin.webhook;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code [plugins.webhook]}: a default endpoint, one per tenant ({@code [[plugins.webhook.tenant]]} with
 * {@code name}, {@code url} and optionally its own {@code headers}), the body format and timeouts.
 *
 * @param defaultEndpoint where records go whose tenant has no endpoint of its own; empty: they are not sent
 * @param tenants         endpoints by tenant name
 * @param format          how a batch is written in the request body
 * @param connectTimeout  TCP (and TLS) connect deadline
 * @param timeout         deadline for the whole request, answer included
 */
record WebhookConfig(Optional<Endpoint> defaultEndpoint, Map<String, Endpoint> tenants, Format format,
                     Duration connectTimeout, Duration timeout) {

    /** A URL and the headers sent with every request to it (e.g. Authorization). */
    record Endpoint(URI url, Map<String, String> headers) {
    }

    /** The request body. */
    enum Format {
        /** {@code application/json}: one JSON array of the records. */
        JSON_ARRAY("application/json"),
        /** {@code application/x-ndjson}: one record per line, each line ending in a newline. */
        JSON_LINES("application/x-ndjson");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }
    }

    static WebhookConfig read(PluginContext context) throws PluginConfigException {
        ConfigSection c = context.config();
        Map<String, String> headers = headers(c);
        Optional<Endpoint> fallback = Optional.empty();
        Optional<String> url = c.string("url");
        if (url.isPresent()) {
            fallback = Optional.of(new Endpoint(url(c, "url", url.get()), headers));
        }
        Map<String, Endpoint> tenants = new LinkedHashMap<>();
        for (ConfigSection t : c.sections("tenant")) {
            String name = t.string("name").orElseThrow(() -> t.error("name", "missing"));
            String tenantUrl = t.string("url").orElseThrow(() -> t.error("url", "missing"));
            Map<String, String> own = new LinkedHashMap<>(headers);
            own.putAll(headers(t));
            if (tenants.put(name, new Endpoint(url(t, "url", tenantUrl), own)) != null) {
                throw t.error("name", "tenant \"" + name + "\" has two webhooks");
            }
            t.rejectUnknownKeys();
        }
        if (fallback.isEmpty() && tenants.isEmpty()) {
            throw c.error("url", "missing: set a default url, [[plugins.webhook.tenant]] urls, or both");
        }
        String formatText = c.string("format").orElse("json_array");
        Format format = switch (formatText) {
            case "json_array" -> Format.JSON_ARRAY;
            case "json_lines" -> Format.JSON_LINES;
            default -> throw c.error("format", "must be \"json_array\" or \"json_lines\", got \"" + formatText + "\"");
        };
        Duration connectTimeout = positive(c, "connect_timeout", Duration.ofSeconds(5));
        Duration timeout = positive(c, "timeout", Duration.ofSeconds(30));
        c.rejectUnknownKeys();
        return new WebhookConfig(fallback, tenants, format, connectTimeout, timeout);
    }

    /** The endpoint of a tenant's records. */
    Optional<Endpoint> endpoint(Optional<String> tenant) {
        return tenant.map(tenants::get).or(() -> defaultEndpoint);
    }

    private static URI url(ConfigSection c, String key, String text) throws PluginConfigException {
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw c.error(key, "expected an http:// or https:// URL, got \"" + text + "\"");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw c.error(key, "not a URL: " + e.getMessage());
        }
    }

    /** {@code headers = ["Authorization: Bearer x", ...]}. */
    private static Map<String, String> headers(ConfigSection c) throws PluginConfigException {
        Map<String, String> out = new HashMap<>();
        List<String> lines = new ArrayList<>(c.strings("headers"));
        for (String line : lines) {
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).strip() : "";
            if (name.isEmpty() || !name.matches("[A-Za-z0-9-]+") || line.contains("\n") || line.contains("\r")) {
                throw c.error("headers", "expected \"Name: value\", got \"" + line + "\"");
            }
            out.put(name, line.substring(colon + 1).strip());
        }
        return out;
    }

    private static Duration positive(ConfigSection c, String key, Duration fallback) throws PluginConfigException {
        Duration d = c.duration(key).orElse(fallback);
        if (d.isZero() || d.isNegative()) {
            throw c.error(key, "must be greater than 0");
        }
        return d;
    }
}
