package io.runnel.api.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void oneLineReplyCarriesItsEnhancedStatus() {
        assertThat(SmtpReply.of(550, "5.7.1", "Relaying denied").toWire()).isEqualTo("550 5.7.1 Relaying denied\r\n");
    }

    @Test
    void multiLineReplyUsesHyphensUntilTheLastLine() {
        SmtpReply ehlo = new SmtpReply(250, Optional.empty(), List.of("mx.example Hello", "PIPELINING", "SIZE 100"));
        assertThat(ehlo.toWire()).isEqualTo("250-mx.example Hello\r\n250-PIPELINING\r\n250 SIZE 100\r\n");
    }

    @Test
    void classifiesByCode() {
        assertThat(SmtpReply.of(250, "2.0.0", "Ok").isPositive()).isTrue();
        assertThat(SmtpReply.of(354, "go").isPositive()).isTrue();
        assertThat(SmtpReply.of(452, "4.3.1", "full").isTransient()).isTrue();
        assertThat(SmtpReply.of(452, "4.3.1", "full").isPermanent()).isFalse();
        assertThat(SmtpReply.of(552, "5.3.4", "big").isPermanent()).isTrue();
    }

    @Test
    void refusesInconsistentOrUnsafeReplies() {
        assertThatThrownBy(() -> SmtpReply.of(550, "4.7.1", "mismatch")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpReply.of(199, "too low")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpReply.of(250, "2.0.0", "two\r\nlines")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmtpReply(250, Optional.empty(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enhancedStatusParsesAndPrints() {
        assertThat(EnhancedStatus.parse("5.7.11")).isEqualTo(new EnhancedStatus(5, 7, 11));
        assertThat(new EnhancedStatus(4, 3, 1)).hasToString("4.3.1");
        assertThatThrownBy(() -> EnhancedStatus.parse("5.7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnhancedStatus.parse("3.0.0")).isInstanceOf(IllegalArgumentException.class);
    }
}
