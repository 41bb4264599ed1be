package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.kernel.shaping.PathSettings;
import io.runnel.kernel.shaping.Shaping;
import io.runnel.kernel.shaping.ShapingKeys;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shaping files in KumoMTA's layout: blocks, layering, merging, and errors that name file, line and key. */
class ShapingReaderTest {

    /** Written in the layout of KumoMTA's shipped shaping.toml, with its structures: a file like it must load. */
    private static final String KUMO_STYLE = """
            ["default"]
            connection_limit = 10
            max_connection_rate = "100/min"
            max_deliveries_per_connection = 100
            max_message_rate = "100/s"
            idle_timeout = "60s"
            data_timeout = "30s"
            data_dot_timeout = "60s"
            enable_tls = "Opportunistic"
            consecutive_connection_failures_before_delay = 100

            [["default".automation]]
            regex = [ '''Messages from \\d+\\.\\d+\\.\\d+\\.\\d+ temporarily deferred''' ]
            action = [ {SetConfig={name="max_message_rate", value="1/minute"}}, {SetConfig={name="connection_limit", value=1}} ]
            duration = "90m"

            [provider."yahoo"]
            match = [{MXSuffix=".yahoodns.net"}]
            max_deliveries_per_connection = 20

            [[provider."yahoo".automation]]
            regex = "\\\\[TS?S04\\\\]"
            action = "Suspend"
            duration = "2h"

            [provider."office365-dane"]
            match = [{MXSuffix=".mx.microsoft"}]
            enable_dane = true
            provider_connection_limit = 5

            ["comcast.net"]
            connection_limit = 25
            enable_tls = "Required"
            idle_timeout = "30s"

            ["example.com"]
            mx_rollup = false
            connection_limit = 3

            ["example.com".sources."my source name"]
            connection_limit = 5
            """;

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Shaping read(Path... files) throws ConfigException {
        return ShapingReader.read(List.of(files), Set.of("default", "my source name"), warnings::add);
    }

    @Test
    void aFileInKumoMtasLayoutLoadsAndItsUnappliedKeysAreWarnedAbout() throws Exception {
        Shaping shaping = read(file("shaping.toml", KUMO_STYLE));

        assertThat(shaping.defaults().settings().get(ShapingKeys.CONNECTION_LIMIT)).contains(10);
        assertThat(shaping.defaults().settings().get(ShapingKeys.MAX_MESSAGE_RATE)).contains(ThrottleSpec.parse("100/s"));
        assertThat(shaping.defaults().settings().get(ShapingKeys.DATA_DOT_TIMEOUT)).contains(Duration.ofSeconds(60));
        assertThat(shaping.defaults().settings().get(ShapingKeys.ENABLE_TLS)).contains(DeliveryConfig.EnableTls.OPPORTUNISTIC);
        assertThat(shaping.defaults().automation()).hasSize(1);
        assertThat(shaping.providers()).extracting(Shaping.Provider::name).containsExactly("yahoo", "office365-dane");
        assertThat(shaping.providers().get(0).block().automation()).hasSize(1);
        assertThat(shaping.ownSite("example.com")).isTrue();
        assertThat(shaping.ownSite("comcast.net")).isFalse();
        assertThat(warnings).singleElement().asString().contains("shaping.toml:28").contains("enable_dane")
                .contains("does not apply");
    }

    @Test
    void blocksStackFromDefaultThroughProviderAndSiteToTheDomainThenTheSourcePart() throws Exception {
        Shaping shaping = read(file("shaping.toml", KUMO_STYLE + """

                ["yahoo.com"]
                max_message_rate = "50/s"
                """));

        PathSettings yahoo = shaping.settingsFor("ymail.com", Optional.of("yahoo.com"),
                List.of("mta5.am0.yahoodns.net", "mta6.am0.yahoodns.net"), "default");
        assertThat(yahoo.get(ShapingKeys.CONNECTION_LIMIT)).contains(10);
        assertThat(yahoo.get(ShapingKeys.MAX_DELIVERIES_PER_CONNECTION)).contains(20);
        assertThat(yahoo.get(ShapingKeys.MAX_MESSAGE_RATE)).contains(ThrottleSpec.parse("50/s"));

        PathSettings mixedMx = shaping.settingsFor("other.example", Optional.empty(),
                List.of("mta5.am0.yahoodns.net", "mx.other.example"), "default");
        assertThat(mixedMx.get(ShapingKeys.MAX_DELIVERIES_PER_CONNECTION)).as("every MX must match").contains(100);

        assertThat(shaping.settingsFor("example.com", Optional.empty(), List.of(), "default")
                .get(ShapingKeys.CONNECTION_LIMIT)).contains(3);
        assertThat(shaping.settingsFor("example.com", Optional.empty(), List.of(), "my source name")
                .get(ShapingKeys.CONNECTION_LIMIT)).contains(5);
    }

    @Test
    void aLaterFileAddsToABlockOrReplacesItWithReplaceBase() throws Exception {
        Path base = file("base.toml", KUMO_STYLE);
        Path local = file("local.toml", """
                ["default"]
                connection_limit = 20

                ["comcast.net"]
                replace_base = true
                max_ready = 50
                """);

        Shaping shaping = read(base, local);

        assertThat(shaping.defaults().settings().get(ShapingKeys.CONNECTION_LIMIT)).contains(20);
        assertThat(shaping.defaults().settings().get(ShapingKeys.MAX_DELIVERIES_PER_CONNECTION)).contains(100);
        PathSettings comcast = shaping.domains().get("comcast.net").block().settings();
        assertThat(comcast.get(ShapingKeys.MAX_READY)).contains(50);
        assertThat(comcast.get(ShapingKeys.ENABLE_TLS)).as("replaced, not merged").isEmpty();
        assertThat(shaping.files()).containsExactly(base, local);
    }

    @Test
    void anUnknownKeyIsRefusedWithFileLineAndKey() throws Exception {
        Path bad = file("shaping.toml", """
                ["gmail.com"]
                connection_limit = 5
                max_conections = 3
                """);

        assertThatThrownBy(() -> read(bad)).isInstanceOf(ConfigException.class)
                .hasMessage(bad + ":3: gmail.com.max_conections: unknown key");
    }

    @Test
    void badValuesAndMisplacedKeysAreRefusedWithTheirReason() throws Exception {
        assertThatThrownBy(() -> read(file("a.toml", "[\"x.example\"]\nconnection_limit = \"ten\"\n")))
                .hasMessageContaining("a.toml:2: x.example.connection_limit: expected an integer");
        assertThatThrownBy(() -> read(file("b.toml", "[\"x.example\"]\nmax_message_rate = \"10/fortnight\"\n")))
                .hasMessageContaining("b.toml:2: x.example.max_message_rate:").hasMessageContaining("unknown period unit");
        assertThatThrownBy(() -> read(file("c.toml", "[\"x.example\"]\nprovider_connection_limit = 4\n")))
                .hasMessageContaining("c.toml:2: x.example.provider_connection_limit: only a [provider.\"<name>\"] block");
        assertThatThrownBy(() -> read(file("d.toml", "[provider.\"p\"]\nconnection_limit = 4\n")))
                .hasMessageContaining("provider.p.match: a provider needs match");
        assertThatThrownBy(() -> read(file("e.toml", "[\"not a domain\"]\nconnection_limit = 4\n")))
                .hasMessageContaining("e.toml:1: not a domain: not a domain name");
        assertThatThrownBy(() -> read(file("f.toml", "[\"x.example\".sources.\"s\"]\nmx_rollup = false\n")))
                .hasMessageContaining("x.example.sources.s.mx_rollup: unknown key");
        assertThatThrownBy(() -> read(file("g.toml", "[\"x.example\"]\nenable_chunking = \"no\"\n")))
                .hasMessageContaining("g.toml:2: x.example.enable_chunking: expected true or false, got \"no\"");
    }

    @Test
    void anErrorAboutAWholeBlockNamesTheBlocksOwnLineEvenWhenItsNameHasDots() throws Exception {
        Path bad = file("g.toml", """
                ["default"]
                connection_limit = 4

                [provider."mail.example.net"]
                connection_limit = 2
                """);

        assertThatThrownBy(() -> read(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("g.toml:4: provider.mail.example.net.match: a provider needs match");
    }

    @Test
    void tenantRatesAreReadPerTenantAndPerDomain() throws Exception {
        Shaping shaping = read(file("shaping.toml", """
                [tenant."acme"]
                max_message_rate = "50,000/h"

                [tenant."acme".domain."gmail.com"]
                max_message_rate = "5,000/h"
                """));

        Shaping.TenantRates acme = shaping.tenants().get("acme");
        assertThat(acme.maxMessageRate()).contains(ThrottleSpec.parse("50000/h"));
        assertThat(acme.domains()).containsEntry("gmail.com", ThrottleSpec.parse("5000/h"));
    }

    @Test
    void theShippedShapingFileLoadsWithoutWarnings() throws Exception {
        Path shipped = Path.of("../distribution/src/main/dist/conf/shaping.toml");

        Shaping shaping = read(shipped);

        assertThat(warnings).isEmpty();
        assertThat(shaping.provider("gmail.com", List.of("gmail-smtp-in.l.google.com", "alt1.gmail-smtp-in.l.google.com")))
                .map(Shaping.Provider::name).contains("google");
        assertThat(shaping.provider("yahoo.com", List.of("mta5.am0.yahoodns.net"))).map(Shaping.Provider::name).contains("yahoo");
        assertThat(shaping.domains()).containsKey("comcast.net");
    }
}
