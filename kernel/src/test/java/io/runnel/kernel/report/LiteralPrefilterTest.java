package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiteralPrefilterTest {

    @Test
    void readsTheRequiredTextOfEachAlternative() {
        assertThat(LiteralPrefilter.of("(?i)no such user|over ?quota|rate limit(ed)?|\\bdmarc\\b"))
                .hasValue(new LiteralPrefilter(List.of("no such user", "quota", "rate limit", "dmarc"), true));
        assertThat(LiteralPrefilter.of("Relay access denied")).hasValue(new LiteralPrefilter(List.of("Relay access denied"), false));
        assertThat(LiteralPrefilter.of("\\[TSS04\\] deferred")).hasValue(new LiteralPrefilter(List.of("[TSS04] deferred"), false));
        assertThat(LiteralPrefilter.of("(?i)(poor|low) (email )?reputation|client host (\\[[^]|]*\\] )?(rejected|blocked)"))
                .hasValue(new LiteralPrefilter(List.of("reputation", "client host "), true));
    }

    @Test
    void patternsWithoutACertainTextOfThreeCharactersGetNone() {
        assertThat(LiteralPrefilter.of("^5\\d\\d 5\\.1\\.1 ")).hasValue(new LiteralPrefilter(List.of(" 5.1.1 "), false));
        assertThat(LiteralPrefilter.of("^5\\d\\d \\d")).isEmpty();
        assertThat(LiteralPrefilter.of("(?i)(mailbox|user) x")).isEmpty();
        assertThat(LiteralPrefilter.of("(?i)ok|x")).isEmpty();
        assertThat(LiteralPrefilter.of("(?i)bo(?=x)")).isEmpty();
    }

    /** The prefilter may only skip rules that cannot match: checked for every built-in rule on every real reply. */
    @Test
    void neverSkipsARuleThatMatchesARealReply() throws Exception {
        List<Map<String, String>> rows = TestData.rows(TestData.dir("smtp-replies").resolve("replies.tsv"));
        int checked = 0;
        for (String name : BounceRulesLoader.BUILT_IN) {
            for (BounceClassifier.Rule rule : BounceRulesLoader.builtIn(name)) {
                Optional<LiteralPrefilter> prefilter = LiteralPrefilter.of(rule.pattern().pattern());
                for (Map<String, String> row : rows) {
                    String line = row.get("reply");
                    if (rule.pattern().matcher(line).find()) {
                        checked++;
                        assertThat(prefilter.map(p -> p.mayMatch(line, line.toLowerCase(Locale.ROOT))).orElse(true))
                                .as(rule.pattern() + " on " + line).isTrue();
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(500);
    }
}
