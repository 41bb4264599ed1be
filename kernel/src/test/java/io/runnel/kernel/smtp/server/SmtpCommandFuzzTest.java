package io.runnel.kernel.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.runnel.api.mail.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Any command line a client can send, through the parser and then the ESMTP parameter checks (which reach the xtext
 * decoder): each answers with a value or a refusal carrying a reply, never an exception. Seeds:
 * {@code SmtpCommandFuzzTestInputs/commandLine/}.
 */
class SmtpCommandFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void commandLine(byte[] input) {
        SmtpCommand command = SmtpCommandParser.parse(new String(input, StandardCharsets.UTF_8));
        if (command instanceof SmtpCommand.Invalid invalid) {
            assertThat(invalid.reply().code()).isBetween(500, 599);
        } else if (command instanceof SmtpCommand.Mail mail) {
            assertRoundTrips(mail.sender());
            assertParametersChecked(EsmtpParameters.mail(mail.parameters()), mail.parameters());
        } else if (command instanceof SmtpCommand.Rcpt rcpt) {
            assertRoundTrips(rcpt.recipient());
            assertThat(EsmtpParameters.rcpt(rcpt.parameters())).isNotNull();
        } else if (command instanceof SmtpCommand.Bdat bdat) {
            assertThat(bdat.size()).isNotNegative();
        }
    }

    /** What we parsed from a path prints as a mailbox that parses back to the same address. */
    private static void assertRoundTrips(EmailAddress address) {
        if (!address.isNullSender()) {
            assertThat(EmailAddress.parse(address.toString())).isEqualTo(address);
        }
    }

    private static void assertParametersChecked(EsmtpParameters.MailResult result, Map<String, String> parameters) {
        if (result instanceof EsmtpParameters.MailResult.Accepted accepted) {
            accepted.declaredSize().ifPresent(size -> assertThat(size).isNotNegative());
            accepted.parameters().envelopeId().ifPresent(id -> assertThat(parameters).containsKey("ENVID"));
        }
    }
}
