package io.runnel.kernel.plugin;

import io.runnel.api.ApiVersion;
import io.runnel.api.dns.DnsResolver;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.PluginsConfig;
import io.runnel.kernel.config.RunnelConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugin jars of {@code [plugins] path} through pf4j at start, and owns everything that came from them:
 * no other kernel class keeps a plugin class or instance (class loaders pinned from outside leak, pf4j #505), so
 * callers ask {@link #extensions(Class)} when they need them. A plugin that cannot be loaded, is built for another
 * API version or fails to start is logged and skipped; if it is listed in {@code required}, the start fails
 * instead. A plugin that rejects its {@code [plugins.<id>]} section always stops the start, as any bad key does. Plugins are upgraded by restart; nothing is hot-loaded.
 */
public final class PluginHost implements Service {

    private static final Logger log = LoggerFactory.getLogger(PluginHost.class);
    /** Plugin start, extension construction and stop are plugin code too: guarded, but generously. */
    private static final Duration LIFECYCLE_DEADLINE = Duration.ofSeconds(30);

    private final PluginsConfig config;
    private final Path home;
    private final Clock clock;
    private final DnsResolver dns;
    private final PluginInvoker invoker;

    /** Filled from plugin-call threads while start() waits for them. */
    private final Map<String, KernelPluginContext> contexts = new ConcurrentHashMap<>();
    private final List<PluginFailure> failures = new ArrayList<>();
    private final List<String> configErrors = new ArrayList<>();
    private final List<String> disabled = new ArrayList<>();
    private volatile List<PluginExtension<?>> extensions = List.of();
    private RunnelPluginManager manager;

    @Inject
    public PluginHost(RunnelConfig config, Clock clock, DnsResolver dns, PluginInvoker invoker) {
        this.config = config.plugins();
        this.home = config.home();
        this.clock = clock;
        this.dns = dns;
        this.invoker = invoker;
    }

    /** The started extensions implementing {@code type}, in plugin load order. */
    public <T> List<PluginExtension<T>> extensions(Class<T> type) {
        List<PluginExtension<T>> out = new ArrayList<>();
        for (PluginExtension<?> e : extensions) {
            if (type.isInstance(e.extension())) {
                out.add(new PluginExtension<>(e.pluginId(), type.cast(e.extension())));
            }
        }
        return out;
    }

    /** Ids of the plugins that started, in start order. */
    public synchronized List<String> startedPlugins() {
        return manager == null ? List.of()
                : manager.getStartedPlugins().stream().map(PluginWrapper::getPluginId).toList();
    }

    /** The plugins skipped at start, with why. */
    public synchronized List<PluginFailure> failures() {
        return List.copyOf(failures);
    }

    @Override
    public int phase() {
        return Phases.PLUGINS;
    }

    @Override
    public String name() {
        return "plugins";
    }

    @Override
    public synchronized void start() throws IOException {
        manager = new RunnelPluginManager(config.path(), new ContextPluginFactory(this::context),
                new ContextExtensionFactory(type -> context(owner(type))));
        for (Path jar : jars()) {
            load(jar);
        }
        List<PluginExtension<?>> created = new ArrayList<>();
        for (PluginWrapper plugin : List.copyOf(manager.getResolvedPlugins())) {
            start(plugin.getPluginId(), created);
        }
        extensions = List.copyOf(created);
        warnAboutSectionsWithoutPlugin();
        Optional<String> fatal = configErrors.stream().findFirst().or(this::missingRequired);
        if (fatal.isPresent()) {
            stop(Duration.ofSeconds(5));
            throw new IllegalStateException(fatal.get());
        }
        log.atInfo().addKeyValue("plugins", startedPlugins()).addKeyValue("skipped", failures.size())
                .log("plugins started");
    }

    @Override
    public synchronized void stop(Duration grace) {
        if (manager == null) {
            return;
        }
        extensions = List.of();
        List<String> started = new ArrayList<>(startedPlugins());
        Collections.reverse(started); // dependents stop before what they depend on
        for (String id : started) {
            guarded(id, () -> manager.stopPlugin(id)).ifPresent(failure ->
                    log.atWarn().addKeyValue("plugin", id).log("plugin stop failed: {}", failure.reason()));
        }
        manager.unloadPlugins(); // closes the class loaders and jar files
        manager = null;
        contexts.clear();
    }

    private List<Path> jars() throws IOException {
        if (!Files.isDirectory(config.path())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(config.path())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private void load(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            file.getManifest(); // pf4j's own message for a damaged jar only says it found no descriptor
        } catch (IOException e) {
            fail(jar.getFileName().toString(), "not a readable jar: " + e.getMessage());
            return;
        }
        String id;
        try {
            id = manager.loadPlugin(jar);
        } catch (PluginRuntimeException e) { // pf4j's own failure: unreadable jar, bad manifest, duplicate id
            fail(jar.getFileName().toString(), "cannot load " + jar.getFileName() + ": " + e.getMessage());
            return;
        }
        PluginDescriptor descriptor = manager.getPlugin(id).getDescriptor();
        String requires = descriptor.getRequires();
        if (requires == null || requires.isBlank() || requires.equals("*")) {
            unload(id, "declares no Plugin-Requires; it must name the plugin API range it was built for, "
                    + "e.g. \">=1.0.0 & <2.0.0\"");
        } else if (!manager.getVersionManager().checkVersionConstraint(ApiVersion.CURRENT, requires)) {
            unload(id, "requires plugin API " + requires + ", this Runnel provides " + ApiVersion.CURRENT);
        } else if (manager.disabledByOperator(id)) {
            // pf4j would enable it again on startPlugin(); an operator's choice is not a failure, so no ERROR
            manager.unloadPlugin(id);
            disabled.add(id);
            log.atInfo().addKeyValue("plugin", id).log("plugin {} is disabled in {}", id, config.path());
        }
    }

    private void start(String id, List<PluginExtension<?>> created) {
        Optional<PluginResult.Failed<?>> failure = guarded(id, () -> {
            PluginState state = manager.startPlugin(id);
            if (state != PluginState.STARTED) {
                throw new PluginLoadException("did not start (state " + state + ")");
            }
            return state;
        });
        List<PluginExtension<?>> mine = new ArrayList<>();
        for (Class<?> type : failure.isEmpty() ? manager.getExtensionClasses(id) : List.<Class<?>>of()) {
            Optional<PluginResult.Failed<?>> failed = guarded(id, () -> mine.add(new PluginExtension<>(id,
                    manager.getExtensionFactory().create(type))));
            if (failed.isPresent()) {
                failure = failed;
                break;
            }
        }
        if (failure.isPresent()) {
            guarded(id, () -> manager.stopPlugin(id)); // best effort; the failure that matters is reported below
            if (isConfigError(failure.get())) {
                manager.unloadPlugin(id);
                configErrors.add("plugin '" + id + "': " + failure.get().reason()); // fatal; logged by the caller
            } else {
                unload(id, failure.get().reason());
            }
            return;
        }
        created.addAll(mine);
        log.atInfo().addKeyValue("plugin", id).addKeyValue("version", manager.getPlugin(id).getDescriptor().getVersion())
                .addKeyValue("extensions", mine.size()).log("plugin started");
    }

    /** Runs plugin code through the invoker and waits: empty on success, else the failure. */
    private Optional<PluginResult.Failed<?>> guarded(String id, Callable<?> call) {
        PluginResult<?> result = invoker.call(id, "lifecycle", LIFECYCLE_DEADLINE, OnFailure.CONTINUE, call).join();
        return result instanceof PluginResult.Failed<?> f ? Optional.of(f) : Optional.empty();
    }

    /** The operator wrote something wrong in the plugin's section: like any bad key, that stops the start. */
    private static boolean isConfigError(PluginResult.Failed<?> failure) {
        return failure.cause().filter(c -> c instanceof PluginLoadException && c.getCause() instanceof PluginConfigException)
                .isPresent();
    }

    private void unload(String id, String reason) {
        manager.unloadPlugin(id);
        fail(id, reason);
    }

    private void fail(String plugin, String reason) {
        failures.add(new PluginFailure(plugin, reason));
        log.atError().addKeyValue("plugin", plugin).log("plugin {} skipped: {}", plugin, reason);
    }

    private Optional<String> missingRequired() {
        List<String> started = startedPlugins();
        for (String id : config.required()) {
            if (!started.contains(id)) {
                String reason = failures.stream().filter(f -> f.plugin().equals(id)).map(PluginFailure::reason)
                        .findFirst().orElse(disabled.contains(id) ? "disabled in " + config.path()
                                : "not found in " + config.path() + unreadable());
                return Optional.of("required plugin '" + id + "' did not start: " + reason);
            }
        }
        return Optional.empty();
    }

    /** A misspelt id in {@code [plugins.<id>]} would otherwise configure nothing, silently. */
    private void warnAboutSectionsWithoutPlugin() {
        for (String id : config.tables().keySet()) {
            if (manager.getPlugin(id) == null && failures.stream().noneMatch(f -> f.plugin().equals(id))
                    && !disabled.contains(id)) {
                log.atWarn().addKeyValue("plugin", id).log("[plugins.{}] is configured but no such plugin is installed", id);
            }
        }
    }

    private String unreadable() {
        List<String> jars = failures.stream().map(PluginFailure::plugin).filter(p -> p.endsWith(".jar")).toList();
        return jars.isEmpty() ? "" : " (jars that could not be read: " + String.join(", ", jars) + ")";
    }

    private KernelPluginContext context(String pluginId) {
        return contexts.computeIfAbsent(pluginId,
                id -> new KernelPluginContext(id, config.section(id), home, clock, dns));
    }

    private String owner(Class<?> type) {
        PluginWrapper plugin = manager.whichPlugin(type);
        if (plugin == null) {
            throw new PluginLoadException(type.getName() + " does not come from a plugin");
        }
        return plugin.getPluginId();
    }
}
