package io.runnel.api.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @Test
    void domainIsLowerCasedLocalPartKeptAsGiven() {
        EmailAddress address = EmailAddress.parse("John.Doe@Example.COM");
        assertThat(address.localPart()).isEqualTo("John.Doe");
        assertThat(address.domain()).isEqualTo("example.com");
        assertThat(address).hasToString("John.Doe@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.example", "first.last+tag@example.com", "\"quoted @ local\"@example.com",
            "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]", "!#$%&'*+-/=?^_`{|}~@example.com", "jos\u00e9@exampl\u00e9.com"})
    void acceptsValidMailboxes(String mailbox) {
        assertThat(EmailAddress.parse(mailbox).toString()).isEqualToIgnoringCase(mailbox);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "user", "@example.com", "user@", ".user@example.com", "user.@example.com", "us..er@example.com",
            "user@-example.com", "user@exa mple.com", "user@example..com", "us er@example.com", "\"unterminated@example.com",
            "user@[192.0.2.1", "user@exam_ple.com"})
    void refusesInvalidMailboxes(String mailbox) {
        assertThatThrownBy(() -> EmailAddress.parse(mailbox)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullSenderIsEmptyAndAscii() {
        assertThat(EmailAddress.NULL_SENDER.isNullSender()).isTrue();
        assertThat(EmailAddress.NULL_SENDER).hasToString("");
        assertThat(EmailAddress.parse("a@b.example").isNullSender()).isFalse();
    }

    @Test
    void tellsWhetherSmtpUtf8IsNeeded() {
        assertThat(EmailAddress.parse("plain@example.com").isAscii()).isTrue();
        assertThat(EmailAddress.parse("jos\u00e9@example.com").isAscii()).isFalse();
        assertThat(EmailAddress.parse("user@b\u00fccher.example").isAscii()).isFalse();
    }

    @Test
    void domainLimitsHoldForTheLowerCasedDomain() {
        // "İ" lower-cases to two chars: 4 labels of 60 passed the checks, then were kept as 483 chars (over 255,
        // labels over 63) and the printed address no longer parsed
        String label = "\u0130".repeat(60);
        String domain = String.join(".", label, label, label, label);
        assertThatThrownBy(() -> EmailAddress.parse("a@" + domain)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmailAddress("a", domain)).hasMessageContaining("too long");
        EmailAddress shortOne = EmailAddress.parse("a@\u0130.example");
        assertThat(EmailAddress.parse(shortOne.toString())).isEqualTo(shortOne);
    }
}
