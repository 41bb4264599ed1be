package io.runnel.kernel.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.MetricsConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the Prometheus text exposition (or OpenMetrics, when the scraper asks for it) on {@code [metrics] listen},
 * path {@code [metrics] path}; every other path gets 404. Runs on the JDK's HTTP server with one thread of its own,
 * so a scrape never takes time from the SMTP event loops. Up early (it also shows recovery) and down late.
 */
public final class MetricsEndpoint implements Service {

    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final MetricsConfig config;
    private final PrometheusMeterRegistry registry;
    private final KernelGauges gauges;
    private JvmGcMetrics gc;
    private HttpServer server;
    private ExecutorService scrapes;

    @Inject
    MetricsEndpoint(MetricsConfig config, PrometheusMeterRegistry registry, KernelGauges gauges) {
        this.config = config;
        this.registry = registry;
        this.gauges = gauges;
    }

    @Override
    public int phase() {
        return Phases.METRICS;
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public void start() throws IOException {
        if (!config.enabled()) {
            return;
        }
        gauges.register();
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        try {
            server = HttpServer.create(config.listen(), 16);
        } catch (IOException e) {
            gc.close();
            throw new IOException("metrics: cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        scrapes = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(scrapes);
        server.createContext("/", this::handle);
        server.start();
        log.atInfo().addKeyValue("listen", server.getAddress()).addKeyValue("path", config.path()).log("metrics endpoint started");
    }

    /** Where the endpoint listens (the real port when the config says 0); empty when disabled. */
    public Optional<InetSocketAddress> address() {
        return Optional.ofNullable(server).map(HttpServer::getAddress);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(config.path())) {
                reply(exchange, 404, "text/plain; charset=utf-8", "not found; metrics are at " + config.path() + "\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            String accept = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("");
            String type = accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
            String body;
            try {
                gauges.refresh();
                body = registry.scrape(type);
            } catch (RuntimeException e) { // a bug in a gauge: the scraper sees 500, the daemon goes on
                log.atError().setCause(e).log("metrics scrape failed");
                reply(exchange, 500, "text/plain; charset=utf-8", "scrape failed\n");
                return;
            }
            reply(exchange, 200, type, body);
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void stop(Duration grace) {
        if (server != null) {
            server.stop(0);
            scrapes.shutdown();
            try {
                scrapes.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (gc != null) {
            gc.close();
        }
    }
}
