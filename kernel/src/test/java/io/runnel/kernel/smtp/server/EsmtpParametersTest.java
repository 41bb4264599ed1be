package io.runnel.kernel.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.smtp.server.EsmtpParameters.MailResult;
import io.runnel.kernel.smtp.server.EsmtpParameters.RcptResult;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EsmtpParametersTest {

    private static Map<String, String> keyword(String key) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put(key, null);
        return parameters;
    }

    @Test
    void anUnknownKeywordIsNamedInTheReply() {
        MailResult mail = EsmtpParameters.mail(keyword("XFOO"));
        assertThat(mail).isInstanceOfSatisfying(MailResult.Refused.class, r -> {
            assertThat(r.reply().code()).isEqualTo(555);
            assertThat(r.reply().lines()).containsExactly("Unsupported MAIL parameter XFOO");
        });
    }

    @Test
    void aKeyThatIsNoKeywordIsASyntaxErrorAndNotEchoed() {
        // found by SmtpCommandFuzzTest: "MAIL FROM:<> X\rY" made SmtpReply throw (CR in reply text)
        MailResult mail = EsmtpParameters.mail(SmtpCommandParser.parse("MAIL FROM:<> X\rY") instanceof SmtpCommand.Mail m
                ? m.parameters() : Map.of());
        assertThat(mail).isInstanceOfSatisfying(MailResult.Refused.class, r -> assertThat(r.reply().code()).isEqualTo(501));
        RcptResult rcpt = EsmtpParameters.rcpt(keyword("NO\nTIFY"));
        assertThat(rcpt).isInstanceOfSatisfying(RcptResult.Refused.class, r -> assertThat(r.reply().code()).isEqualTo(501));
    }
}
