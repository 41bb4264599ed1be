package io.runnel.kernel.log;

import io.runnel.api.log.LogSink;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.LogConfig;
import io.runnel.kernel.config.LogSinkConfig;
import io.runnel.kernel.plugin.PluginExtension;
import io.runnel.kernel.plugin.PluginHost;
import io.runnel.kernel.plugin.PluginInvoker;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets every delivery-log record to every started {@link LogSink}: one {@link LogShipper} per sink reads the
 * journal from that sink's own cursor, so a slow or broken sink holds up only its own records, which wait on disk;
 * mail never waits for a sink. Also runs {@link JournalRetention} once a minute. Starts after the plugins and stops
 * before them (and long before the delivery log, which writes what is still queued after we are gone: shipped on
 * the next start).
 */
public final class LogShipping implements Service {

    private static final Logger log = LoggerFactory.getLogger(LogShipping.class);
    private static final Duration RETENTION_EVERY = Duration.ofMinutes(1);

    private final LogConfig config;
    private final PluginHost plugins;
    private final PluginInvoker invoker;
    private final JournalSignal signal;
    private final JournalFolder folder;
    private final CursorStore cursors;
    private final JournalRetention retention;
    private volatile List<LogShipper> shippers = List.of();
    private ScheduledExecutorService retentionTimer;

    @Inject
    public LogShipping(LogConfig config, PluginHost plugins, PluginInvoker invoker, JournalSignal signal, Clock clock) {
        this.config = config;
        this.plugins = plugins;
        this.invoker = invoker;
        this.signal = signal;
        this.folder = new JournalFolder(config.path());
        this.cursors = new CursorStore(config.path().resolve(".cursors"));
        this.retention = new JournalRetention(folder, cursors, config.retention(), config.maxSize(), clock);
    }

    @Override
    public int phase() {
        return Phases.LOG_SHIPPING;
    }

    @Override
    public String name() {
        return "log-shipping";
    }

    @Override
    public void start() throws IOException {
        List<LogShipper> started = new ArrayList<>();
        for (Map.Entry<String, PluginExtension<LogSink>> e : sinksById().entrySet()) {
            String id = e.getKey();
            LogSinkConfig settings = config.sink(id);
            JournalPosition from = cursor(id, settings);
            LogShipper shipper = new LogShipper(id, e.getValue().pluginId(), e.getValue().extension(), settings, invoker,
                    folder, cursors, signal, from);
            shipper.start();
            started.add(shipper);
            log.atInfo().addKeyValue("sink", id).log("log sink {} ships from {}", id,
                    from.equals(JournalPosition.START) ? "the start of the journal" : from.format());
        }
        shippers = List.copyOf(started);
        retentionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "log-retention");
            t.setDaemon(true);
            return t;
        });
        retentionTimer.scheduleWithFixedDelay(this::runRetention, 0, RETENTION_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(Duration grace) {
        List<LogShipper> stopping = shippers;
        stopping.forEach(LogShipper::requestStop);
        stopping.forEach(s -> s.awaitStop(grace));
        shippers = List.of();
        if (retentionTimer != null) {
            retentionTimer.shutdownNow();
        }
    }

    /** Each running sink's counters, in start order. */
    public List<SinkStats> stats() {
        return shippers.stream().map(LogShipper::stats).toList();
    }

    /** The journal on disk as the last retention run saw it. */
    public RetentionStats retentionStats() {
        return retention.stats();
    }

    /** Runs one retention pass now (the timer runs one each minute). */
    public void runRetention() {
        try {
            retention.run();
        } catch (IOException | RuntimeException e) {
            log.atWarn().setCause(e).log("journal retention failed; trying again in {}", RETENTION_EVERY);
        }
    }

    /** A plugin's sink is named by the plugin's id; a plugin with several sinks names each by class too. */
    private Map<String, PluginExtension<LogSink>> sinksById() {
        List<PluginExtension<LogSink>> sinks = plugins.extensions(LogSink.class);
        Map<String, Integer> perPlugin = new HashMap<>();
        sinks.forEach(s -> perPlugin.merge(s.pluginId(), 1, Integer::sum));
        Map<String, PluginExtension<LogSink>> out = new LinkedHashMap<>();
        for (PluginExtension<LogSink> s : sinks) {
            String id = perPlugin.get(s.pluginId()) == 1 ? s.pluginId()
                    : s.pluginId() + "." + s.extension().getClass().getSimpleName();
            out.put(id, s);
        }
        return out;
    }

    /** The saved cursor, or a new one where {@code start} says, saved at once so "now" stays now after a restart. */
    private JournalPosition cursor(String id, LogSinkConfig settings) throws IOException {
        Optional<JournalPosition> saved = cursors.load(id);
        if (saved.isPresent()) {
            return saved.get();
        }
        JournalPosition from = settings.start() == LogSinkConfig.Start.NOW ? folder.end() : JournalPosition.START;
        cursors.save(id, from);
        return from;
    }
}
