package io.runnel.api.testing;

import io.runnel.api.log.LogEvent;
import io.runnel.api.log.LogSink;
import io.runnel.api.plugin.PluginContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs inside an {@link IsolatedPluginHost}'s host class loader: constructs a plugin's log sink as the kernel does
 * (with a {@link PluginContext}) and publishes one record through it. Only JDK types cross into and out of it.
 */
public final class LogSinkDriver {

    private LogSinkDriver() {
    }

    /** The outcome as text: {@code "published"}, or the exception {@code publish} threw. */
    public static String publishOne(ClassLoader plugin, String extensionClass, String pluginId, Map<String, ?> config)
            throws Exception {
        LogSink sink = Class.forName(extensionClass, true, plugin).asSubclass(LogSink.class)
                .getConstructor(PluginContext.class).newInstance(TestPluginContext.of(pluginId, config));
        LogEvent event = new LogEvent(LogEvent.Type.DELIVERY, "driver-1", "rcpt@example.net", Instant.EPOCH,
                Optional.of("acme"), Optional.empty(), "{\"type\":\"Delivery\",\"id\":\"driver-1\"}");
        try {
            sink.publish(List.of(event));
            return "published";
        } catch (Exception e) { // the outcome is the answer, whatever the sink threw
            return e.toString();
        } finally {
            if (sink instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
