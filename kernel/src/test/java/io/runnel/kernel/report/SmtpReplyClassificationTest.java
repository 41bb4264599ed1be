package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in rules against 561 real SMTP replies of testdata/smtp-replies, with their expected categories. */
class SmtpReplyClassificationTest {

    @Test
    void builtInRulesClassifyRealProviderReplies() throws Exception {
        Path dir = TestData.dir("smtp-replies");
        BounceClassifier classifier = BounceRulesLoader.builtIn();
        ConfusionTable table = new ConfusionTable();
        for (Map<String, String> row : TestData.rows(dir.resolve("replies.tsv"))) {
            String expected = row.get("expected_kumo_category");
            if (expected.isEmpty()) {
                continue;
            }
            table.add(expected, classifier.classify(row.get("reply")), row.get("reply"));
        }
        System.out.println(table.render("smtp-replies classification"));
        if (Boolean.getBoolean("runnel.printMisses")) {
            table.misses().forEach(System.out::println);
        }
        assertThat(table.total()).isGreaterThan(500);
        assertThat(table.accuracy()).isGreaterThanOrEqualTo(0.88);
    }
}
