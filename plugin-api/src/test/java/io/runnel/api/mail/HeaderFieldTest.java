package io.runnel.api.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderFieldTest {

    @Test
    void namesCompareIgnoringAsciiCaseOnly() {
        HeaderField field = HeaderField.of("Message-ID", "<1@example.com>");

        assertThat(field.hasName("message-id")).isTrue();
        assertThat(field.hasName("MESSAGE-ID")).isTrue();
        assertThat(field.hasName("Message-IDs")).isFalse();
        assertThat(field.hasName("Message_ID")).isFalse();
    }
}
