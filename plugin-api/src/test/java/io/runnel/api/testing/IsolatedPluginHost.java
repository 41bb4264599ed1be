package io.runnel.api.testing;

import io.runnel.api.log.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.DefaultPluginManager;
import org.pf4j.Plugin;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginWrapper;

/**
 * Loads a built plugin jar through pf4j as the daemon does, but under a host class loader that holds only what the
 * kernel gives plugins: the plugin API, pf4j, SLF4J's API (when the test has it) and this test jar. A class the
 * plugin uses but does not bundle then fails to load here, as it would in the daemon, instead of being found on the
 * test's class path.
 */
public final class IsolatedPluginHost implements AutoCloseable {

    private final URLClassLoader host;
    private final DefaultPluginManager manager;

    private IsolatedPluginHost(URLClassLoader host, DefaultPluginManager manager) {
        this.host = host;
        this.manager = manager;
    }

    /** Copies {@code pluginJar} into {@code pluginsDir} and loads (not starts) every plugin there. */
    public static IsolatedPluginHost load(Path pluginJar, Path pluginsDir) throws IOException {
        Files.copy(pluginJar, pluginsDir.resolve(pluginJar.getFileName()));
        List<URL> provided = new ArrayList<>(List.of(location(LogSink.class), location(Plugin.class),
                location(IsolatedPluginHost.class)));
        slf4j().ifPresent(provided::add);
        URLClassLoader host = new URLClassLoader("isolated-host", provided.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        DefaultPluginManager manager = new DefaultPluginManager(pluginsDir) {
            @Override
            protected PluginLoader createPluginLoader() {
                DefaultPluginManager self = this;
                return new PluginLoader() {
                    @Override
                    public boolean isApplicable(Path path) {
                        return path.toString().endsWith(".jar");
                    }

                    @Override
                    public ClassLoader loadPlugin(Path path, PluginDescriptor descriptor) {
                        // pf4j's JarPluginLoader, with the isolated host as parent
                        PluginClassLoader loader = new PluginClassLoader(self, descriptor, host);
                        loader.addFile(path.toFile());
                        return loader;
                    }
                };
            }
        };
        manager.loadPlugins();
        return new IsolatedPluginHost(host, manager);
    }

    public PluginWrapper plugin(String id) {
        PluginWrapper plugin = manager.getPlugin(id);
        if (plugin == null) {
            throw new AssertionError("no plugin " + id + " loaded; pf4j has " + manager.getPlugins());
        }
        return plugin;
    }

    /** The class names the plugin's {@code META-INF/extensions.idx} lists. */
    public List<String> extensionClassNames(String pluginId) throws IOException {
        URL index = plugin(pluginId).getPluginClassLoader().getResource("META-INF/extensions.idx");
        if (index == null) {
            throw new AssertionError("plugin " + pluginId + " has no META-INF/extensions.idx");
        }
        try (InputStream in = index.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        }
    }

    /** {@link LogSinkDriver#publishOne}, run in the host: the outcome of publishing one record. */
    public String publishOne(String pluginId, String extensionClass, Map<String, ?> config) throws Exception {
        try {
            return (String) host.loadClass(LogSinkDriver.class.getName())
                    .getMethod("publishOne", ClassLoader.class, String.class, String.class, Map.class)
                    .invoke(null, plugin(pluginId).getPluginClassLoader(), extensionClass, pluginId, config);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void close() throws IOException {
        manager.unloadPlugins();
        host.close();
    }

    /** The kernel's SLF4J, which plugins share so their logs reach the daemon's logback. */
    private static Optional<URL> slf4j() {
        try {
            return Optional.of(location(Class.forName("org.slf4j.LoggerFactory", false,
                    IsolatedPluginHost.class.getClassLoader())));
        } catch (ClassNotFoundException absent) {
            return Optional.empty();
        }
    }

    private static URL location(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource().getLocation().toURI().toURL();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("no location for " + type, e);
        }
    }
}
