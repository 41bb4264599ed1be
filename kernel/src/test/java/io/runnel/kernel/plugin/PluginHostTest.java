package io.runnel.kernel.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.mail.HeaderField;
import io.runnel.api.sign.MessageSigner;
import io.runnel.api.sign.SigningRequest;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RunnelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {

    @TempDir
    Path home;

    private Path plugins;
    private final PluginInvoker invoker = new PluginInvoker(2, 16);
    private PluginHost host;

    @BeforeEach
    void createPluginsFolder() throws Exception {
        plugins = Files.createDirectories(home.resolve("plugins"));
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.stop(Duration.ofSeconds(5));
        }
        invoker.stop(Duration.ofSeconds(5));
    }

    @Test
    void goodPluginLoadsAndItsExtensionIsCreatedWithItsContextAndConfig() throws Exception {
        TestPlugins.stamp("good").build(plugins);

        start("""
                [plugins.good]
                text = "hello"
                """);

        assertThat(host.startedPlugins()).containsExactly("good");
        assertThat(host.failures()).isEmpty();
        List<PluginExtension<MessageSigner>> signers = host.extensions(MessageSigner.class);
        assertThat(signers).extracting(PluginExtension::pluginId).containsExactly("good");
        assertThat(sign(signers.get(0))).containsExactly(HeaderField.of("X-Stamp", "good:hello"));
    }

    @Test
    void brokenJarIsReportedAndSkipped() throws Exception {
        PluginJarBuilder.garbage(plugins, "broken.jar");
        TestPlugins.stamp("good").build(plugins);

        start("");

        assertThat(host.startedPlugins()).containsExactly("good");
        assertThat(host.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).isEqualTo("broken.jar");
            assertThat(f.reason()).startsWith("not a readable jar: ");
        });
    }

    @Test
    void pluginWhoseStartThrowsIsReportedAndSkipped() throws Exception {
        TestPlugins.stamp("flaky", "throw new IllegalStateException(\"no key ring\");").build(plugins);
        TestPlugins.stamp("good").build(plugins);

        start("");

        assertThat(host.startedPlugins()).containsExactly("good");
        assertThat(host.extensions(MessageSigner.class)).extracting(PluginExtension::pluginId).containsExactly("good");
        assertThat(host.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).isEqualTo("flaky");
            assertThat(f.reason()).contains("no key ring");
        });
    }

    @Test
    void pluginRequiringApiTwoIsRefusedWithAClearReason() throws Exception {
        TestPlugins.stamp("future").requires(">=2.0.0").build(plugins);

        start("");

        assertThat(host.startedPlugins()).isEmpty();
        assertThat(host.extensions(MessageSigner.class)).isEmpty();
        assertThat(host.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).isEqualTo("future");
            assertThat(f.reason()).isEqualTo("requires plugin API >=2.0.0, this Runnel provides 1.1.0");
        });
    }

    @Test
    void requiredPluginWhoseStartThrowsStopsTheStart() throws Exception {
        TestPlugins.stamp("dkim", "throw new IllegalStateException(\"no key ring\");").build(plugins);

        assertThatThrownBy(() -> start("[plugins]\nrequired = [\"dkim\"]\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("required plugin 'dkim' did not start: ")
                .hasMessageContaining("no key ring");
        assertThat(host.startedPlugins()).isEmpty();
    }

    @Test
    void requiredPluginForAnotherApiStopsTheStart() throws Exception {
        TestPlugins.stamp("dkim").requires(">=2.0.0 & <3.0.0").build(plugins);

        assertThatThrownBy(() -> start("[plugins]\nrequired = [\"dkim\"]\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("required plugin 'dkim' did not start: requires plugin API >=2.0.0 & <3.0.0, "
                        + "this Runnel provides 1.1.0");
    }

    @Test
    void requiredPluginThatIsNotInstalledStopsTheStartNamingTheUnreadableJars() throws Exception {
        PluginJarBuilder.garbage(plugins, "dkim-1.0.jar");

        assertThatThrownBy(() -> start("[plugins]\nrequired = [\"dkim\"]\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("required plugin 'dkim' did not start: not found in " + plugins
                        + " (jars that could not be read: dkim-1.0.jar)");
    }

    @Test
    void badValueInAPluginSectionStopsTheStartNamingPluginKeyAndLine() throws Exception {
        TestPlugins.stamp("good").build(plugins);

        assertThatThrownBy(() -> start("""
                [plugins.good]
                text = 5
                """))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plugin 'good'")
                .hasMessageContaining("runnel.toml:2")
                .hasMessageContaining("plugins.good.text: expected a string, got 5");
    }

    @Test
    void unknownKeyInAPluginSectionStopsTheStart() throws Exception {
        TestPlugins.stamp("good").build(plugins);

        assertThatThrownBy(() -> start("[plugins.good]\ntext = \"a\"\ntxet = \"b\"\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plugins.good.txet: unknown key");
    }

    @Test
    void extensionWithoutAUsableConstructorSkipsItsPluginWithTheReason() throws Exception {
        PluginJarBuilder.plugin("odd").extension("t.odd.OddSigner", """
                package t.odd;
                import io.runnel.api.sign.*;
                public class OddSigner implements MessageSigner {
                    public OddSigner(String unexpected) { }
                    @Override public java.util.List<io.runnel.api.mail.HeaderField> sign(SigningRequest r) {
                        return java.util.List.of();
                    }
                }
                """).build(plugins);
        TestPlugins.stamp("good").build(plugins);

        start("");

        assertThat(host.extensions(MessageSigner.class)).extracting(PluginExtension::pluginId).containsExactly("good");
        assertThat(host.failures()).singleElement().satisfies(f -> {
            assertThat(f.plugin()).isEqualTo("odd");
            assertThat(f.reason()).isEqualTo("t.odd.OddSigner needs a public constructor taking PluginContext, or none");
        });
    }

    @Test
    void pluginListedInDisabledTxtIsNotStartedAndIsNoFailure() throws Exception {
        TestPlugins.stamp("good").build(plugins);
        Files.writeString(plugins.resolve("disabled.txt"), "good\n");

        start("");

        assertThat(host.startedPlugins()).isEmpty();
        assertThat(host.failures()).isEmpty();
    }

    @Test
    void requiredPluginThatIsDisabledStopsTheStart() throws Exception {
        TestPlugins.stamp("dkim").build(plugins);
        Files.writeString(plugins.resolve("disabled.txt"), "dkim\n");

        assertThatThrownBy(() -> start("[plugins]\nrequired = [\"dkim\"]\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("required plugin 'dkim' did not start: disabled in " + plugins);
    }

    @Test
    void missingPluginsFolderMeansNoPlugins() throws Exception {
        start("[plugins]\npath = \"elsewhere\"\n");

        assertThat(host.startedPlugins()).isEmpty();
        assertThat(host.failures()).isEmpty();
    }

    private void start(String toml) throws Exception {
        Path file = Files.createDirectories(home.resolve("conf")).resolve("runnel.toml");
        Files.writeString(file, toml);
        RunnelConfig config = new ConfigLoader(home).load(file);
        host = new PluginHost(config, MutableClock.at("2026-01-01T00:00:00Z"), TestPlugins.NO_DNS, invoker);
        host.start();
    }

    private List<HeaderField> sign(PluginExtension<MessageSigner> signer) {
        SigningRequest request = new SigningRequest(TestPlugins.message(), EmailAddress.parse("a@example.com"),
                Optional.empty(), List.of());
        PluginResult<List<HeaderField>> result = invoker.call(signer.pluginId(), Duration.ofSeconds(5), OnFailure.TEMPFAIL,
                () -> signer.extension().sign(request)).join();
        assertThat(result).isInstanceOf(PluginResult.Success.class);
        return ((PluginResult.Success<List<HeaderField>>) result).value();
    }
}
