package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Any message sent to a feedback address: a feedback report or nothing, never an exception. Seeds: real reports
 * from shared/testdata/arf ({@code ArfParserFuzzTestInputs/feedback/}).
 */
class ArfParserFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void feedback(byte[] message) {
        Optional<ArfParser.Feedback> feedback = ArfParser.parse(message);
        feedback.ifPresent(f -> {
            assertThat(f.report().feedbackType()).isNotEmpty().isLowerCase();
            assertThat(f.returned()).isNotNull();
        });
    }
}
