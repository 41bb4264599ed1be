package io.runnel.kernel.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.smtp.SmtpReply;
import org.junit.jupiter.api.Test;

class RejectReasonTest {

    @Test
    void theReplysClassNamesTheReason() {
        assertThat(RejectReason.of(SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum message size")))
                .isEqualTo(RejectReason.SIZE);
        assertThat(RejectReason.of(SmtpReply.of(550, "5.6.0", "bare LF"))).isEqualTo(RejectReason.CONTENT);
        assertThat(RejectReason.of(SmtpReply.of(550, "5.7.1", "spam"))).isEqualTo(RejectReason.POLICY);
        assertThat(RejectReason.of(SmtpReply.of(452, "4.3.1", "Insufficient system storage"))).isEqualTo(RejectReason.STORAGE);
        assertThat(RejectReason.of(SmtpReply.of(451, "4.7.1", "scanner unavailable"))).isEqualTo(RejectReason.TEMPFAIL);
        assertThat(RejectReason.of(SmtpReply.of(451, "4.3.5", "signer failed"))).isEqualTo(RejectReason.TEMPFAIL);
        assertThat(RejectReason.of(SmtpReply.of(554, "no enhanced code"))).isEqualTo(RejectReason.OTHER);
        assertThat(RejectReason.POLICY.label()).isEqualTo("policy");
    }
}
