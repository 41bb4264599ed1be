package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any message sent to a bounce address: RFC 3464 DSNs, plain-text notices and malformed MIME all end in a
 * {@link BounceParser.Bounce} (possibly naming nobody), never an exception. Seeds: real bounces from
 * shared/testdata/bounces ({@code BounceParserFuzzTestInputs/bounce/}).
 */
class BounceParserFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void bounce(byte[] message) {
        BounceParser.Bounce bounce = BounceParser.parse(message);
        assertThat(bounce.explanation()).isNotNull();
        for (FailedRecipient failed : bounce.recipients()) {
            assertThat(failed.recipient()).contains("@");
            failed.code().ifPresent(code -> assertThat(code).isBetween(200, 599));
            assertThat(failed.replyCode()).isBetween(200, 599);
        }
    }
}
