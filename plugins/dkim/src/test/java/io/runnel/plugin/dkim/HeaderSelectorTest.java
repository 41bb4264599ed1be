package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.HeaderField;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderSelectorTest {

    private static final List<HeaderField> HEADERS = List.of(
            HeaderField.of("Received", "first"),
            HeaderField.of("From", "a@example.com"),
            HeaderField.of("Received", "second"),
            HeaderField.of("subject", "hi"));

    @Test
    void repeatedNamesTakeInstancesFromTheBottomUp() {
        List<HeaderField> fields = HeaderSelector.fieldsFor(HEADERS, List.of("Received", "Received", "Received"));

        assertThat(fields).extracting(HeaderField::value).containsExactly(" second", " first");
    }

    @Test
    void namesMatchCaseInsensitively() {
        assertThat(HeaderSelector.fieldsFor(HEADERS, List.of("SUBJECT", "from"))).extracting(HeaderField::name)
                .containsExactly("subject", "From");
    }

    @Test
    void overSigningAddsOneMoreThanEachCountAndPinsAbsentHeaders() {
        assertThat(HeaderSelector.signedNames(HEADERS, List.of("From", "Received", "Cc"), true))
                .containsExactly("From", "From", "Received", "Received", "Received", "Cc");
        assertThat(HeaderSelector.signedNames(HEADERS, List.of("From", "Received", "Cc"), false))
                .containsExactly("From", "Received", "Received");
    }
}
