package io.runnel.kernel.shaping.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.kernel.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

class AutomationRulesTest {

    private static final Path FILE = Path.of("conf/shaping.toml");

    @Test
    void readsKumoMtaAutomationEntries() throws Exception {
        TomlParseResult toml = toml("""
                ["default"]
                connection_limit = 10

                [["default".automation]]
                regex=[ '''Messages from \\d+\\.\\d+\\.\\d+\\.\\d+ temporarily deferred''', '''Server busy\\. Please try again later from''' ]
                action = [ {SetConfig={name="max_message_rate", value="1/minute"}}, {SetConfig={name="connection_limit", value=1}} ]
                duration = "90m"

                ["comcast.net"]
                [["comcast.net".automation]]
                regex = "RL0000"
                action = {SetConfig={name="max_connection_rate", value="10000/h"}}
                trigger = {Threshold="2/hr"}
                duration = "2 hours"

                [provider."yahoo"]
                match=[{MXSuffix=".yahoodns.net"}]

                [[provider."yahoo".automation]]
                regex = "\\\\[TS?S04\\\\]"
                action = "Suspend"
                duration = "2 hours"

                [[provider."yahoo".automation]]
                regex = "\\\\[TS03\\\\]"
                action = ["SuspendTenant", "SuspendCampaign", "Bounce"]
                trigger = "Immediate"
                duration = 2592000
                """);

        List<AutomationRule> defaults = AutomationRules.parse(FILE, "\"default\"", table(toml, "default"));
        assertThat(defaults).singleElement().satisfies(rule -> {
            assertThat(rule.id()).isEqualTo("\"default\".automation[0]");
            assertThat(rule.block()).isEqualTo("\"default\"");
            assertThat(rule.patterns()).hasSize(2);
            assertThat(rule.matches("421 4.7.0 Messages from 192.0.2.1 temporarily deferred due to user complaints")).isTrue();
            assertThat(rule.matches("421 Server busy. Please try again later from [192.0.2.1]")).isTrue();
            assertThat(rule.matches("250 2.0.0 Ok")).isFalse();
            assertThat(rule.actions()).containsExactly(new AutomationAction.SetConfig("max_message_rate", "1/minute"),
                    new AutomationAction.SetConfig("connection_limit", 1L));
            assertThat(rule.trigger()).isEqualTo(new Trigger.Immediate());
            assertThat(rule.duration()).isEqualTo(Duration.ofMinutes(90));
        });

        assertThat(AutomationRules.parse(FILE, "\"comcast.net\"", table(toml, "comcast.net"))).singleElement().satisfies(rule -> {
            assertThat(rule.trigger()).isEqualTo(new Trigger.Threshold(2, Duration.ofHours(1)));
            assertThat(rule.actions()).containsExactly(new AutomationAction.SetConfig("max_connection_rate", "10000/h"));
            assertThat(rule.duration()).isEqualTo(Duration.ofHours(2));
        });

        List<AutomationRule> yahoo = AutomationRules.parse(FILE, "provider.\"yahoo\"", table(toml, "provider", "yahoo"));
        assertThat(yahoo).hasSize(2);
        assertThat(yahoo.get(0).id()).isEqualTo("provider.\"yahoo\".automation[0]");
        assertThat(yahoo.get(0).matches("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred")).isTrue();
        assertThat(yahoo.get(0).matches("421 4.7.0 [TS04] Messages from 192.0.2.1 temporarily deferred")).isTrue();
        assertThat(yahoo.get(0).actions()).containsExactly(new AutomationAction.Suspend());
        assertThat(yahoo.get(1).actions()).containsExactly(new AutomationAction.SuspendTenant(),
                new AutomationAction.SuspendCampaign(), new AutomationAction.Bounce());
        assertThat(yahoo.get(1).duration()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aBlockWithoutAutomationHasNoRules() throws Exception {
        assertThat(AutomationRules.parse(FILE, "\"default\"", table(toml("[\"default\"]\nconnection_limit = 10\n"), "default")))
                .isEmpty();
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = "Suspend"
                duration = "1h"
                actoin = "Bounce"
                """, 5, "\"example.com\".automation[0].actoin", "unknown key");
    }

    @Test
    void anInvalidRegexIsQuotedWithJavasReason() {
        assertError("""
                [["example.com".automation]]
                regex = "[TS04"
                action = "Suspend"
                duration = "1h"
                """, 2, "\"example.com\".automation[0].regex", "invalid regex \"[TS04\": Unclosed character class");
    }

    @Test
    void anInvalidRegexInAListIsNamedByIndex() {
        assertError("""
                [["example.com".automation]]
                regex = ["ok", "(unclosed"]
                action = "Suspend"
                duration = "1h"
                """, 2, "\"example.com\".automation[0].regex[1]", "invalid regex \"(unclosed\"");
    }

    @Test
    void regexActionAndDurationAreRequired() {
        assertError("""
                [["example.com".automation]]
                action = "Suspend"
                duration = "1h"
                """, 1, "\"example.com\".automation[0].regex", "missing");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                duration = "1h"
                """, 1, "\"example.com\".automation[0].action", "missing");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = "Suspend"
                """, 1, "\"example.com\".automation[0].duration", "missing");
    }

    @Test
    void anUnknownActionListsTheKnownOnes() {
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = ["Suspend", "Pause"]
                duration = "1h"
                """, 3, "\"example.com\".automation[0].action[1]", "unknown action \"Pause\" (expected \"Suspend\"");
    }

    @Test
    void aSetConfigNeedsANameAndAPlainValue() {
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = {SetConfig={value="1/s"}}
                duration = "1h"
                """, 3, "\"example.com\".automation[0].action.SetConfig.name", "expected the name of a shaping key");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = {SetConfig={name="max_message_rate", value=["1/s"]}}
                duration = "1h"
                """, 3, "\"example.com\".automation[0].action.SetConfig.value", "expected a string, number or boolean");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = {SetConfig={name="max_message_rate", value="1/s", for="1h"}}
                duration = "1h"
                """, 3, "\"example.com\".automation[0].action.SetConfig.for", "unknown key");
    }

    @Test
    void aSetConfigKeyIsCheckedByTheShapingLoader() throws Exception {
        AutomationRules.SetConfigCheck knownKeys = (name, value) -> {
            if (!name.equals("max_message_rate")) {
                throw new IllegalArgumentException("unknown shaping key");
            }
        };
        String text = """
                [["example.com".automation]]
                regex = "x"
                action = {SetConfig={name="max_mesage_rate", value="1/s"}}
                duration = "1h"
                """;
        assertThatThrownBy(() -> AutomationRules.parse(FILE, "\"example.com\"", table(toml(text), "example.com"), knownKeys))
                .isInstanceOf(ConfigException.class)
                .hasMessage("conf/shaping.toml:3: \"example.com\".automation[0].action.SetConfig: max_mesage_rate: unknown shaping key");
    }

    @Test
    void byDefaultASetConfigMustNameAShapingKeyWithAValueItReads() {
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = {SetConfig={name="max_mesage_rate", value="1/s"}}
                duration = "1h"
                """, 3, "\"example.com\".automation[0].action.SetConfig", "max_mesage_rate: not a shaping key");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = [{SetConfig={name="connection_limit", value=2}}, {SetConfig={name="max_message_rate", value="fast"}}]
                duration = "1h"
                """, 3, "\"example.com\".automation[0].action[1].SetConfig", "max_message_rate: \"fast\" is not a throttle");
    }

    @Test
    void aLoaderWalkingTheEntriesItselfParsesOneAtATime() throws Exception {
        TomlParseResult toml = toml("""
                [["example.com".automation]]
                regex = "x"
                action = "Bounce"
                duration = "1h"
                """);
        TomlTable entry = toml.getArray(List.of("example.com", "automation")).getTable(0);

        AutomationRule rule = AutomationRules.parseEntry(FILE, "\"example.com\"", 0, entry, Optional.of(1),
                AutomationRules.SetConfigCheck.SHAPING_KEYS);

        assertThat(rule.id()).isEqualTo("\"example.com\".automation[0]");
        assertThat(rule.actions()).containsExactly(new AutomationAction.Bounce());
    }

    @Test
    void aTriggerIsImmediateOrAThreshold() {
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = "Suspend"
                trigger = "Sometimes"
                duration = "1h"
                """, 4, "\"example.com\".automation[0].trigger", "expected \"Immediate\" or {Threshold=\"N/period\"}");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = "Suspend"
                trigger = {Threshold="2/fortnight"}
                duration = "1h"
                """, 4, "\"example.com\".automation[0].trigger.Threshold", "unknown period unit \"fortnight\"");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = "Suspend"
                trigger = {Threshold="2/h,max_burst=5"}
                duration = "1h"
                """, 4, "\"example.com\".automation[0].trigger.Threshold", "max_burst has no meaning here");
    }

    @Test
    void aDurationMustBeReadable() {
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = "Suspend"
                duration = "a while"
                """, 4, "\"example.com\".automation[0].duration", "expected a duration");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = "Suspend"
                duration = true
                """, 4, "\"example.com\".automation[0].duration", "expected a duration such as \"2 hours\"");
        assertError("""
                [["example.com".automation]]
                regex = "x"
                action = "Suspend"
                duration = 0
                """, 4, "\"example.com\".automation[0].duration", "must be longer than zero");
    }

    @Test
    void automationMustBeAnArrayOfTables() {
        assertError("""
                ["example.com"]
                automation = "Suspend"
                """, 2, "\"example.com\".automation", "expected an array of tables [[\"example.com\".automation]]");
    }

    private static void assertError(String text, int line, String key, String reason) {
        assertThatThrownBy(() -> AutomationRules.parse(FILE, "\"example.com\"", table(toml(text), "example.com")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.line()).isEqualTo(Optional.of(line));
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.getMessage()).startsWith("conf/shaping.toml:" + line + ": " + key + ": ");
                });
    }

    private static TomlParseResult toml(String text) {
        TomlParseResult toml = Toml.parse(text);
        assertThat(toml.errors()).isEmpty();
        return toml;
    }

    private static TomlTable table(TomlTable toml, String... path) {
        TomlTable table = toml.getTable(List.of(path));
        assertThat(table).as("table %s", List.of(path)).isNotNull();
        return table;
    }
}
