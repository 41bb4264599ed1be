package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.kernel.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BounceRulesLoaderTest {

    @TempDir
    Path dir;

    @Test
    void loadsKumoMtaRulesWithCustomLabelsAndEarlierFilesWin() throws Exception {
        Path mine = write("mine.toml", """
                # a mailops file in KumoMTA's format
                [rules]
                GreylistedHere = ["(?i)greylist"]
                InvalidRecipient = ["^(451|550) [45]\\\\.1\\\\.[1234] "]
                """);
        Path theirs = write("theirs.toml", """
                [rules]
                TransientFailure = ["^4\\\\d\\\\d "]
                """);
        BounceClassifier classifier = BounceRulesLoader.load(List.of(mine, theirs));

        assertThat(classifier.size()).isEqualTo(3);
        assertThat(classifier.classify(451, Optional.of(EnhancedStatus.parse("4.7.1")), "Greylisted, try again")).isEqualTo("GreylistedHere");
        assertThat(classifier.classify(550, Optional.of(EnhancedStatus.parse("5.1.1")), "no such user")).isEqualTo("InvalidRecipient");
        assertThat(classifier.classify(421, Optional.empty(), "busy")).isEqualTo("TransientFailure");
        assertThat(classifier.classify(250, Optional.empty(), "ok")).isEqualTo("Uncategorized");
    }

    @Test
    void aBadRegularExpressionNamesFileLineAndKey() throws Exception {
        Path bad = write("bad.toml", """
                [rules]
                SpamBlock = [
                  "ok",
                  "(unclosed",
                ]
                """);
        assertThatThrownBy(() -> BounceRulesLoader.load(List.of(bad)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(bad);
                    assertThat(e.line()).contains(4);
                    assertThat(e.key()).isEqualTo("rules.SpamBlock[1]");
                    assertThat(e.reason()).contains("bad regular expression");
                });
    }

    @Test
    void anUnknownKeyOrWrongTypeIsRefused() throws Exception {
        Path unknown = write("unknown.toml", "[rulez]\nSpamBlock = [\"x\"]\n");
        assertThatThrownBy(() -> BounceRulesLoader.load(List.of(unknown))).hasMessageContaining("unknown.toml:1: rulez: unknown key");
        Path notArray = write("scalar.toml", "[rules]\nSpamBlock = \"x\"\n");
        assertThatThrownBy(() -> BounceRulesLoader.load(List.of(notArray))).hasMessageContaining("scalar.toml:2: rules.SpamBlock");
        assertThatThrownBy(() -> BounceRulesLoader.load(List.of(dir.resolve("missing.toml")))).hasMessageContaining("not found");
    }

    @Test
    void theBuiltInRulesLoadAndCoverTheCommonCases() {
        BounceClassifier classifier = BounceRulesLoader.builtIn();
        assertThat(classifier.classify(550, Optional.of(EnhancedStatus.parse("5.1.1")),
                "The email account that you tried to reach does not exist.")).isEqualTo("InvalidRecipient");
        assertThat(classifier.classify(452, Optional.of(EnhancedStatus.parse("4.2.2")), "The email account that you tried to reach is over quota."))
                .isEqualTo("QuotaIssues");
        assertThat(classifier.classify(550, Optional.of(EnhancedStatus.parse("5.7.606")), "Access denied, banned sending IP [192.0.2.1]."))
                .isEqualTo("SpamBlock");
        assertThat(classifier.classify(550, Optional.of(EnhancedStatus.parse("5.4.7")), "")).isEqualTo("MessageExpired");
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
