package io.runnel.kernel.reload;

import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.ConfigException;
import io.runnel.kernel.config.ConfigFile;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.ReloadReport;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.rules.RuleEngine;
import io.runnel.kernel.rules.RuleException;
import io.runnel.kernel.rules.RuleSet;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads {@code conf/runnel.toml} and {@code rules/*.groovy}: parses and compiles everything first; when all of
 * it is valid the new configuration and rules are swapped into {@link LiveConfig} in one step, otherwise the running
 * ones stay and the report names file, line and reason. Also loads the rules at start (a broken rule file then
 * stops the start), and runs the file watcher. Reloads are serialised. Every report is logged and written to
 * {@code <data_dir>/last-reload.txt}, which {@code runnel reload} prints.
 */
public final class FileReloader implements ConfigReloader, Service {

    private static final Logger log = LoggerFactory.getLogger(FileReloader.class);
    static final String REPORT_FILE = "last-reload.txt";

    private final LiveConfig live;
    private final RuleEngine engine;
    private final ConfigFile configFile;
    private final RunnelConfig started;
    private final Clock clock;
    private Fingerprints applied;
    private ConfigWatcher watcher;

    @Inject
    FileReloader(LiveConfig live, RuleEngine engine, ConfigFile configFile, RunnelConfig started, Clock clock) {
        this.live = live;
        this.engine = engine;
        this.configFile = configFile;
        this.started = started;
        this.clock = clock;
    }

    @Override
    public synchronized ReloadReport reload() {
        Live current = live.current();
        Path home = current.config().home();
        Fingerprints now = Fingerprints.of(home, watchedFiles(current.config()), current.config().rules().folder());
        List<String> changed = now.changedSince(applied);
        List<String> errors = new ArrayList<>();
        RunnelConfig next = null;
        RuleSet rules = null;
        try {
            next = configFile.load(home);
        } catch (ConfigException e) {
            errors.add(relative(home, e.getMessage()));
        }
        if (next != null) {
            try {
                rules = engine.load(next.rules(), current.rules());
            } catch (RuleException e) {
                errors.add(relative(home, next.rules().folder().resolve(e.file()).toString()) + e.line().map(l -> ":" + l).orElse("")
                        + ": " + e.reason());
            }
        }
        ReloadReport report;
        if (!errors.isEmpty()) {
            report = new ReloadReport(false, changed, errors, List.of());
            log.atError().addKeyValue("changed", changed).log("reload refused, running configuration kept: {}", String.join("; ", errors));
        } else {
            List<String> restart = RestartNeeded.between(started, next);
            live.swap(next, rules);
            applied = now;
            report = new ReloadReport(true, changed, List.of(), restart);
            log.atInfo().addKeyValue("changed", changed).addKeyValue("rules", rules.files())
                    .addKeyValue("generation", live.current().generation()).log("configuration reloaded");
            if (!restart.isEmpty()) {
                log.atWarn().addKeyValue("settings", restart).log("changed settings take effect only after a restart: {}",
                        String.join(", ", restart));
            }
        }
        writeReport(current.config(), report);
        return report;
    }

    private List<Path> watchedFiles(RunnelConfig config) {
        List<Path> files = new ArrayList<>();
        files.add(configFile.path());
        files.addAll(config.delivery().shaping().files());
        return files;
    }

    private static String relative(Path home, String text) {
        String prefix = home.toString() + "/";
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }

    private void writeReport(RunnelConfig config, ReloadReport report) {
        StringBuilder text = new StringBuilder();
        text.append(report.applied() ? "applied" : "refused").append(" at ").append(clock.instant()).append('\n');
        report.changed().forEach(f -> text.append("changed: ").append(f).append('\n'));
        report.errors().forEach(e -> text.append("error: ").append(e).append('\n'));
        report.restartNeeded().forEach(r -> text.append("restart needed: ").append(r).append('\n'));
        Path file = config.server().dataDir().resolve(REPORT_FILE);
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(REPORT_FILE + ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.atWarn().setCause(e).log("reload report not written to {}", file);
        }
    }

    @Override
    public int phase() {
        return Phases.RELOAD;
    }

    @Override
    public String name() {
        return "reload";
    }

    /** Loads the rules named by the start configuration (a broken one stops the start) and starts watching. */
    @Override
    public synchronized void start() throws RuleException, IOException {
        RunnelConfig config = live.current().config();
        RuleSet rules = engine.load(config.rules(), live.current().rules());
        live.swap(config, rules);
        applied = Fingerprints.of(config.home(), watchedFiles(config), config.rules().folder());
        log.atInfo().addKeyValue("rules", rules.files()).log("rules loaded");
        watcher = ConfigWatcher.start(List.of(configFile.path().getParent(), config.rules().folder()), Duration.ofMillis(300), this::reload);
    }

    @Override
    public void stop(Duration grace) {
        if (watcher != null) {
            watcher.close();
        }
    }
}
