package io.runnel.plugin.spamassassin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.runnel.api.scan.ScanResult;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scanner against a real spamd with the rules Debian ships; one spamd for the class. */
class SpamdInteropTest {

    private static Spamd spamd;

    @BeforeAll
    static void startSpamd() throws Exception {
        spamd = Spamd.start();
    }

    @AfterAll
    static void stopSpamd() {
        if (spamd != null) {
            spamd.close();
        }
    }

    private static SpamdScanner scanner(Map<String, Object> extra) throws Exception {
        Map<String, Object> config = new HashMap<>(spamd.config());
        config.putAll(extra);
        return new SpamdScanner(TestContext.of(config));
    }

    @Test
    void aMessageWithGtubeScoresAtLeastAThousandWithTheGtubeSymbol() throws Exception {
        ScanResult result = scanner(Map.of()).scan(TestMessage.gtube());

        assertThat(result).asInstanceOf(type(ScanResult.Spam.class)).satisfies(spam -> {
            assertThat(spam.score()).isGreaterThanOrEqualTo(1000.0);
            assertThat(spam.symbols()).contains("GTUBE");
        });
    }

    @Test
    void aNormalShortMessageIsReportedAsSpamResultWithALowScoreAndNoGtube() throws Exception {
        ScanResult result = scanner(Map.of()).scan(TestMessage.normal());

        assertThat(result).asInstanceOf(type(ScanResult.Spam.class)).satisfies(spam -> {
            assertThat(spam.score()).isLessThan(5.0);
            assertThat(spam.symbols()).doesNotContain("GTUBE");
        });
    }

    @Test
    void aConfiguredUserIsAcceptedBySpamd() throws Exception {
        ScanResult result = scanner(Map.of("user", "runnel-test")).scan(TestMessage.gtube());

        assertThat(result).asInstanceOf(type(ScanResult.Spam.class))
                .satisfies(spam -> assertThat(spam.symbols()).contains("GTUBE"));
        assertThat(spamd.log()).contains("for runnel-test:");
    }

    @Test
    void consecutiveScansEachGetAnAnswerOnTheirOwnConnection() throws Exception {
        SpamdScanner scanner = scanner(Map.of());

        for (int i = 0; i < 4; i++) {
            boolean gtube = i % 2 == 0;
            ScanResult result = scanner.scan(gtube ? TestMessage.gtube() : TestMessage.normal());
            assertThat(result).asInstanceOf(type(ScanResult.Spam.class))
                    .satisfies(spam -> assertThat(spam.symbols().contains("GTUBE")).isEqualTo(gtube));
        }
    }
}
