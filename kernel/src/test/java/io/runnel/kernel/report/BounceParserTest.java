package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounce formats the parser once read no recipient from, or read the wrong text for, on real samples. */
class BounceParserTest {

    private static List<FailedRecipient> recipients(String file) throws Exception {
        return BounceParser.parse(Files.readAllBytes(TestData.dir("bounces").resolve(file))).recipients();
    }

    @Test
    void sendmailNoticeOpeningIsNotTakenForTheReturnedCopy() throws Exception {
        // "The original message was received at ..." is the first line of the notice (ActiveHunter, Sendmail)
        assertThat(recipients("sisimai/lhost-activehunter-01.eml"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.recipient()).isEqualTo("kijitora@example.org");
                    assertThat(r.diagnostic()).contains("no mailbox here by that name");
                });
    }

    @Test
    void mboxSeparatorAndLostMimeHeadersStillYieldTheStatusFields() throws Exception {
        // starts with "From MAILER-DAEMON ...", no Content-Type: the delivery-status fields are lines of the text
        assertThat(recipients("sisimai/lhost-sendmail-54.eml"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.recipient()).isEqualTo("kijitora@neko.example.jp");
                    assertThat(r.status()).hasValueSatisfying(s -> assertThat(s.toString()).isEqualTo("4.4.7"));
                });
    }

    @Test
    void sendGridExpiredActionIsAFailure() throws Exception {
        assertThat(recipients("sisimai/lhost-sendgrid-03.eml"))
                .singleElement()
                .satisfies(r -> assertThat(r.diagnostic()).contains("Connection timed out"));
    }

    @Test
    void eachRecipientGetsItsOwnReplyNotItsNeighbours() throws Exception {
        List<FailedRecipient> found = recipients("sisimai/lhost-opensmtpd-17.eml");
        assertThat(found).extracting(FailedRecipient::recipient)
                .containsExactly("userunknown@libsisimai.net", "mailboxfull@libsisimai.net");
        assertThat(found.get(0).diagnostic()).contains("User unknown").doesNotContain("Mailbox full");
        assertThat(found.get(1).diagnostic()).contains("Mailbox full");
    }

    @Test
    void recipientBlocksWithoutBlankLineBetweenAreTwoRecipients() throws Exception {
        assertThat(recipients("sisimai/rhost-aol-03.eml"))
                .extracting(r -> r.recipient() + " " + r.status().orElseThrow())
                .containsExactly("sabineko@example.jp 5.2.2", "mikeneko@example.jp 5.1.1");
    }

    @Test
    void exitStatusDiagnosticFallsBackToTheTranscript() throws Exception {
        // "Diagnostic-Code: X-Unix; 71" says nothing; the transcript says "451 4.0.0 Operating system error"
        assertThat(recipients("sisimai/lhost-sendmail-55.eml"))
                .singleElement()
                .satisfies(r -> assertThat(r.diagnostic()).contains("Operating system error"));
    }

    @Test
    void listedAddressIsFailedEvenWhenItIsTheBouncesOwnRecipient() throws Exception {
        // qmail "<addr>:" and Exim "addr:" lines; the sample's sender mailed itself
        assertThat(recipients("sisimai/lhost-qmail-08.eml"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.recipient()).isEqualTo("shironeko@example.ad.jp");
                    assertThat(r.diagnostic()).contains("disk quota exceeded");
                });
    }

    @Test
    void successNoticesAndOrdinaryMailReportNoFailure() throws Exception {
        assertThat(recipients("sisimai/rfc3464-28.eml")).isEmpty();
        assertThat(recipients("sisimai/lhost-amazonses-12.eml")).isEmpty(); // SES "notificationType":"Delivery" via SNS
        assertThat(recipients("not-bounce/is-not-bounce-01.eml")).isEmpty();
        assertThat(recipients("not-bounce/is-not-bounce-02.eml")).isEmpty();
    }
}
