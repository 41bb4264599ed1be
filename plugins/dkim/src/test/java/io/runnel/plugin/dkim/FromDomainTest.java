package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.mail.HeaderField;
import java.net.IDN;
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
    void anAsciiDomainIsLowerCasedAndABrokenOneSignsForNothingAsIdnWouldSay() {
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "joe@Mail.Example.COM.")))).contains("mail.example.com");
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "joe@xn--bcher-kva.example")))).contains("xn--bcher-kva.example");
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "joe@a..example")))).isEmpty();
        // found by DkimCanonicalizationFuzzTest: "i<@." left the root's empty name as the signing domain
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "i<@.")))).isEmpty();
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "joe@.")))).isEmpty();
        assertThat(FromDomain.of(List.of(HeaderField.of("From", "joe@" + "x".repeat(64) + ".example")))).isEmpty();
        assertThatThrownBy(() -> IDN.toASCII("a..example", IDN.ALLOW_UNASSIGNED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IDN.toASCII("x".repeat(64) + ".example", IDN.ALLOW_UNASSIGNED))
                .isInstanceOf(IllegalArgumentException.class);
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
