package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.HeaderField;
import java.util.List;
import org.junit.jupiter.api.Test;

class FromDomainTest {

    @Test
    void takesTheDomainOfTheAngleAddressDespiteAtSignsInTheDisplayName() {
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "\"joe@home\" <Joe@Example.COM> (work)"))))
                .contains("example.com");
    }

    @Test
    void takesABareAddressAndConvertsAnInternationalDomainToALabels() {
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "joe@b\u00fccher.example")))).contains(
                "xn--bcher-kva.example");
    }

    @Test
    void signsForNoDomainWhenFromIsMissingDuplicatedOrAGroupOfSeveral() {
        assertThat(FromDomain.of(List.of(HeaderField.of("To", "a@example.com")))).isEmpty();
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "a@example.com"),
                HeaderField.of("From", "b@evil.example")))).isEmpty();
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "a@example.com, b@example.org")))).isEmpty();
    }

    @Test
    void aLongQuotedDisplayNameDoesNotOverflowTheStack() {
        // found by DkimCanonicalizationFuzzTest: the quoted-string regex recursed per character (StackOverflowError)
        String name = "\"" + "x\\\"".repeat(20_000) + "@\"";
        assertThat(FromDomain.of(List.of(HeaderField.of("From", name + " <joe@example.com>")))).contains("example.com");
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "\"unterminated <joe@example.com>")))).contains("example.com");
    }
}
