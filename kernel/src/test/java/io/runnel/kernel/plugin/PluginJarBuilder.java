package io.runnel.kernel.plugin;

import io.runnel.api.plugin.PluginContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.pf4j.ExtensionPoint;

/**
 * Builds a real pf4j plugin jar in a test folder (after pf4j's own {@code PluginJar}): compiles the given sources
 * with javac against the plugin API and pf4j, writes the manifest and {@code META-INF/extensions.idx} the way the
 * Maven build of a plugin does.
 */
final class PluginJarBuilder {

    private final String id;
    private String version = "1.0.0";
    private String requires = ">=1.0.0 & <2.0.0";
    private String pluginClass;
    private boolean processAnnotations;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();

    private PluginJarBuilder(String id) {
        this.id = id;
    }

    static PluginJarBuilder plugin(String id) {
        return new PluginJarBuilder(id);
    }

    PluginJarBuilder requires(String range) {
        this.requires = range;
        return this;
    }

    PluginJarBuilder version(String version) {
        this.version = version;
        return this;
    }

    /** Names the {@code Plugin-Class} whose source comes from {@link #sourcesFrom}. */
    PluginJarBuilder pluginClass(String className) {
        this.pluginClass = className;
        return this;
    }

    /** Every {@code .java} file under {@code root} (a Maven {@code src/main/java}). */
    PluginJarBuilder sourcesFrom(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = root.relativize(f).toString().replace('\\', '/').replace('/', '.');
                source(name.substring(0, name.length() - ".java".length()), Files.readString(f));
            }
        }
        return this;
    }

    /** Runs pf4j's annotation processor, as a plugin's Maven build does, to write {@code extensions.idx}. */
    PluginJarBuilder processAnnotations() {
        this.processAnnotations = true;
        return this;
    }

    PluginJarBuilder pluginClass(String className, String source) {
        this.pluginClass = className;
        return source(className, source);
    }

    PluginJarBuilder source(String className, String source) {
        sources.put(className, source);
        return this;
    }

    /** A class listed in {@code extensions.idx}, with its source. */
    PluginJarBuilder extension(String className, String source) {
        extensions.add(className);
        return source(className, source);
    }

    /** Compiles and writes {@code <dir>/<id>-<version>.jar}. */
    Path build(Path dir) throws IOException {
        Path work = Files.createTempDirectory(dir, id + "-build");
        Path src = work.resolve("src");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-classpath", classpath(),
                "-d", classes.toString()));
        args.addAll(processAnnotations ? List.of("-processor", "org.pf4j.processor.ExtensionAnnotationProcessor")
                : List.of("-proc:none"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("plugin sources of " + id + " do not compile (see stderr)");
        }
        Path jar = dir.resolve(id + "-" + version + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest())) {
            if (!extensions.isEmpty()) {
                jarOut.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                jarOut.write((String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(f));
                    jarOut.closeEntry();
                }
            }
        }
        return jar;
    }

    /** A file named like a plugin jar that is not a zip at all. */
    static Path garbage(Path dir, String fileName) throws IOException {
        return Files.write(dir.resolve(fileName), "this is not a jar".getBytes(StandardCharsets.US_ASCII));
    }

    private Manifest manifest() {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", id);
        a.putValue("Plugin-Version", version);
        a.putValue("Plugin-Requires", requires);
        a.putValue("Plugin-Provider", "Runnel tests");
        if (pluginClass != null) {
            a.putValue("Plugin-Class", pluginClass);
        }
        return manifest;
    }

    /** The plugin API and pf4j, found where their classes were loaded from (surefire hides the real classpath). */
    private static String classpath() {
        return String.join(java.io.File.pathSeparator, location(PluginContext.class), location(ExtensionPoint.class));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
