package io.runnel.api.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any mailbox a client writes in MAIL FROM or RCPT TO, ASCII or SMTPUTF8: {@link EmailAddress#parse} returns an
 * address that prints as a mailbox parsing back to the same address, or throws {@link IllegalArgumentException};
 * nothing else. Seeds: {@code EmailAddressFuzzTestInputs/mailbox/}.
 */
class EmailAddressFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void mailbox(byte[] input) {
        String mailbox = new String(input, StandardCharsets.UTF_8);
        EmailAddress address;
        try {
            address = EmailAddress.parse(mailbox);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertThat(address.isNullSender()).isFalse();
        assertThat(EmailAddress.parse(address.toString())).isEqualTo(address);
        assertThat(address.isAscii()).isEqualTo(address.toString().chars().allMatch(c -> c < 128));
    }
}
