package io.runnel.plugin.webhook;

import io.runnel.api.log.LogEvent;
import io.runnel.api.log.LogSink;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * POSTs each batch to the records' endpoints: the batch is split by endpoint (a tenant's own, else the default),
 * keeping the kernel's order inside each request, and the requests go one after another. A 2xx answer is an
 * accepted request; any other status, a timeout or a broken connection fails the whole batch, and the kernel
 * offers it again: endpoints that already took their part get it again (at least once), and no record of a tenant
 * is ever sent before an earlier one of the same tenant was accepted. Records whose tenant has no endpoint, when
 * there is no default, are not sent. Called from one kernel thread.
 */
@Extension
public final class WebhookSink implements LogSink {

    private final WebhookConfig config;
    private final HttpClient http;

    public WebhookSink(PluginContext context) throws PluginConfigException {
        this(WebhookConfig.read(context));
    }

    WebhookSink(WebhookConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void publish(List<LogEvent> batch) throws IOException, InterruptedException {
        Map<WebhookConfig.Endpoint, List<String>> byEndpoint = new LinkedHashMap<>();
        for (LogEvent e : batch) {
            Optional<WebhookConfig.Endpoint> endpoint = config.endpoint(e.tenant());
            endpoint.ifPresent(to -> byEndpoint.computeIfAbsent(to, k -> new ArrayList<>()).add(e.json()));
        }
        for (Map.Entry<WebhookConfig.Endpoint, List<String>> e : byEndpoint.entrySet()) {
            post(e.getKey(), e.getValue());
        }
    }

    private void post(WebhookConfig.Endpoint to, List<String> records) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(to.url()).timeout(config.timeout())
                .header("Content-Type", config.format().contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body(records)));
        to.headers().forEach(request::setHeader);
        HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("webhook " + to.url() + " answered " + response.statusCode());
        }
    }

    private String body(List<String> records) {
        if (config.format() == WebhookConfig.Format.JSON_LINES) {
            StringBuilder out = new StringBuilder();
            records.forEach(r -> out.append(r).append('\n'));
            return out.toString();
        }
        return "[" + String.join(",", records) + "]";
    }
}
