package io.runnel.kernel.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.mail.HeaderField;
import io.runnel.api.sign.MessageSigner;
import io.runnel.api.sign.SigningRequest;
import io.runnel.kernel.TestDaemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party path: the example plugin's sources, built the way its pom builds them (javac with pf4j's
 * annotation processor, the pom's manifest entries), dropped into a real kernel's plugins folder. Compiled in the
 * test rather than by a nested Maven run, which would race the outer build; the pom stays the user-facing example.
 */
class PluginExampleBuildTest {

    private static final Path EXAMPLE = Path.of("").toAbsolutePath().getParent()
            .resolve("sdk/examples/header-stamp-plugin");

    @TempDir
    Path home;

    @Test
    void examplePluginIsLoadedConfiguredAndCallableThroughTheInvoker() throws Exception {
        String pom = Files.readString(EXAMPLE.resolve("pom.xml"));
        Path plugins = Files.createDirectories(home.resolve("plugins"));
        Path jar = PluginJarBuilder.plugin(property(pom, "plugin.id"))
                .version(property(pom, "version"))
                .requires(property(pom, "plugin.requires"))
                .pluginClass(property(pom, "plugin.class"))
                .sourcesFrom(EXAMPLE.resolve("src/main/java"))
                .processAnnotations()
                .build(plugins);
        assertThat(extensionIndex(jar)).contains("io.runnel.examples.stamp.HeaderStampSigner");

        try (TestDaemon daemon = TestDaemon.start(home, """
                [plugins]
                required = ["header-stamp"]

                [plugins.header-stamp]
                text = "edge-7"
                """)) {
            PluginHost host = daemon.get(PluginHost.class);
            assertThat(host.startedPlugins()).containsExactly("header-stamp");
            List<PluginExtension<MessageSigner>> signers = host.extensions(MessageSigner.class);
            assertThat(signers).extracting(PluginExtension::pluginId).containsExactly("header-stamp");

            MessageSigner signer = signers.get(0).extension();
            SigningRequest request = new SigningRequest(TestPlugins.message(), EmailAddress.parse("a@example.com"),
                    Optional.empty(), List.of());
            PluginResult<List<HeaderField>> result = daemon.get(PluginInvoker.class)
                    .call("header-stamp", Duration.ofSeconds(5), OnFailure.TEMPFAIL, () -> signer.sign(request)).join();

            assertThat(result).isEqualTo(new PluginResult.Success<>(List.of(HeaderField.of("X-Stamped-By", "edge-7"))));
        }
    }

    private static String extensionIndex(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            var entry = file.getJarEntry("META-INF/extensions.idx");
            assertThat(entry).as("extensions.idx written by pf4j's processor").isNotNull();
            return new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first {@code <name>} element of the pom, XML entities decoded. */
    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">").matcher(pom);
        assertThat(m.find()).as("<%s> in the example pom", name).isTrue();
        return m.group(1).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&");
    }
}
