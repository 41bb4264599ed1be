package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.delivery.RecipientReport.Action;
import io.runnel.kernel.delivery.RecipientReport.Diagnostic;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MailParameters.BodyType;
import io.runnel.kernel.message.MailParameters.DsnReturn;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.DsnNotify;
import io.runnel.kernel.spool.SpoolId;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DsnComposerTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-28T17:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-28T17:05:00Z");
    private static final SpoolId ID = SpoolId.parse("019ad0a1f3c87000b1e2d3c4b5a69788");
    private static final String HEADERS = "Received: from client.example by mx.runnel.test; Sat, 28 Nov 2026 17:00:00 +0000\r\n"
            + "From: Alice <alice@example.org>\r\nTo: bob@example.com\r\nSubject: hello\r\n"
            + "Message-ID: <orig-1@example.org>\r\n";
    private static final String ORIGINAL = HEADERS + "\r\nHello Bob,\r\nthe body.\r\n";

    private final DsnComposer composer = new DsnComposer(Clock.fixed(NOW, ZoneOffset.UTC), 100 * 1024);

    private static MessageMeta meta(EmailAddress sender, Optional<DsnReturn> ret, Optional<String> envid, Recipient... rcpts) {
        return new MessageMeta(ID, RECEIVED, sender, List.of(rcpts),
                new MailParameters(BodyType.SEVEN_BIT, false, ret, envid),
                new ReceptionFacts("inbound", "192.0.2.7", "client.example", "ESMTP", Optional.empty(), Optional.empty()),
                Optional.empty(), Optional.empty(), 2, NOW, ORIGINAL.length(), Optional.empty());
    }

    private static MessageMeta meta(Optional<DsnReturn> ret, Recipient... rcpts) {
        return meta(EmailAddress.parse("alice@example.org"), ret, Optional.empty(), rcpts);
    }

    private static Recipient bob(Set<DsnNotify> notify) {
        return Recipient.pending(EmailAddress.parse("bob@example.com"), notify, Optional.of("rfc822;Bob@Example.COM"));
    }

    private static RecipientReport userUnknown(Recipient r) {
        return new RecipientReport(r, Action.FAILED, EnhancedStatus.parse("5.1.1"),
                new Diagnostic.Remote(SmtpReply.of(550, "5.1.1", "<bob@example.com>: User unknown")),
                Optional.of("mx1.example.com"), Optional.of(NOW.minusSeconds(10)), Optional.empty());
    }

    private static RecipientReport delayed(Recipient r) {
        return new RecipientReport(r, Action.DELAYED, EnhancedStatus.parse("4.4.1"),
                new Diagnostic.Local("connect to mx1.example.com[192.0.2.25]:25: Connection timed out"),
                Optional.empty(), Optional.of(NOW.minusSeconds(60)), Optional.of(RECEIVED.plus(java.time.Duration.ofDays(5))));
    }

    private ComposedDsn compose(MessageMeta meta, String original, RecipientReport... reports) {
        return composer.compose(meta, original.getBytes(StandardCharsets.UTF_8), "mx.runnel.test", List.of(reports))
                .orElseThrow();
    }

    private static MimeMessage parse(ComposedDsn dsn) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(dsn.message()));
    }

    /** The per-message group first, then one group per recipient (RFC 3464 2.1). */
    private static List<InternetHeaders> statusGroups(BodyPart part) throws Exception {
        List<InternetHeaders> groups = new ArrayList<>();
        try (InputStream in = part.getInputStream()) {
            byte[] bytes = in.readAllBytes();
            ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
            while (stream.available() > 0) {
                InternetHeaders group = new InternetHeaders(stream);
                if (group.getAllHeaderLines().hasMoreElements()) {
                    groups.add(group);
                }
            }
        }
        return groups;
    }

    private static String text(BodyPart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPermanentFailureBecomesAMultipartReportWithThreeParts() throws Exception {
        Recipient bob = bob(Set.of());
        ComposedDsn dsn = compose(meta(Optional.of(DsnReturn.HDRS), bob), ORIGINAL, userUnknown(bob));

        assertThat(dsn.sender().isNullSender()).isTrue();
        assertThat(dsn.recipient()).isEqualTo(EmailAddress.parse("alice@example.org"));
        assertThat(dsn.parameters().body()).isEqualTo(BodyType.SEVEN_BIT);
        MimeMessage message = parse(dsn);
        assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(message.getHeader("From", null)).isEqualTo("\"Mail Delivery System\" <MAILER-DAEMON@mx.runnel.test>");
        assertThat(message.getHeader("To", null)).isEqualTo("<alice@example.org>");
        assertThat(message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(message.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(message.getMessageID()).endsWith("@mx.runnel.test>");
        assertThat(message.getSentDate()).isEqualTo(java.util.Date.from(NOW));

        MimeMultipart report = (MimeMultipart) message.getContent();
        assertThat(report.getCount()).isEqualTo(3);
        assertThat(report.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(text(report.getBodyPart(0))).contains("<bob@example.com>: failed (5.1.1)", "550 5.1.1 <bob@example.com>: User unknown");
        assertThat(report.getBodyPart(1).getContentType()).isEqualTo("message/delivery-status");
        assertThat(report.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
    }

    @Test
    void theDeliveryStatusPartCarriesTheRfc3464Fields() throws Exception {
        Recipient bob = bob(Set.of(DsnNotify.FAILURE));
        MessageMeta meta = meta(EmailAddress.parse("alice@example.org"), Optional.of(DsnReturn.HDRS), Optional.of("envid-42"), bob);
        MimeMultipart report = (MimeMultipart) parse(compose(meta, ORIGINAL, userUnknown(bob))).getContent();

        List<InternetHeaders> groups = statusGroups(report.getBodyPart(1));
        assertThat(groups).hasSize(2);
        InternetHeaders perMessage = groups.get(0);
        assertThat(perMessage.getHeader("Reporting-MTA", null)).isEqualTo("dns; mx.runnel.test");
        assertThat(perMessage.getHeader("Original-Envelope-Id", null)).isEqualTo("envid-42");
        assertThat(perMessage.getHeader("Arrival-Date", null)).isEqualTo("Sat, 28 Nov 2026 17:00:00 +0000");
        InternetHeaders perRecipient = groups.get(1);
        assertThat(perRecipient.getHeader("Original-Recipient", null)).isEqualTo("rfc822;Bob@Example.COM");
        assertThat(perRecipient.getHeader("Final-Recipient", null)).isEqualTo("rfc822; bob@example.com");
        assertThat(perRecipient.getHeader("Action", null)).isEqualTo("failed");
        assertThat(perRecipient.getHeader("Status", null)).isEqualTo("5.1.1");
        assertThat(perRecipient.getHeader("Remote-MTA", null)).isEqualTo("dns; mx1.example.com");
        assertThat(unfold(perRecipient.getHeader("Diagnostic-Code", null)))
                .isEqualTo("smtp; 550 5.1.1 <bob@example.com>: User unknown");
        assertThat(perRecipient.getHeader("Last-Attempt-Date", null)).isEqualTo("Sat, 28 Nov 2026 17:04:50 +0000");
        assertThat(perRecipient.getHeader("Will-Retry-Until")).isNull();
    }

    @Test
    void withoutEnvidOrOrcptThoseFieldsAreLeftOut() throws Exception {
        Recipient carol = Recipient.pending(EmailAddress.parse("carol@example.net"), Set.of(), Optional.empty());
        MimeMultipart report = (MimeMultipart) parse(compose(meta(Optional.empty(), carol), ORIGINAL, userUnknown(carol))).getContent();
        List<InternetHeaders> groups = statusGroups(report.getBodyPart(1));
        assertThat(groups.get(0).getHeader("Original-Envelope-Id")).isNull();
        assertThat(groups.get(1).getHeader("Original-Recipient")).isNull();
        assertThat(groups.get(1).getHeader("Final-Recipient", null)).isEqualTo("rfc822; carol@example.net");
    }

    @Test
    void retHdrsReturnsOnlyTheOriginalHeaders() throws Exception {
        Recipient bob = bob(Set.of());
        MimeMultipart report = (MimeMultipart) parse(compose(meta(Optional.of(DsnReturn.HDRS), bob), ORIGINAL, userUnknown(bob))).getContent();
        BodyPart returned = report.getBodyPart(2);
        assertThat(returned.getContentType()).isEqualTo("text/rfc822-headers");
        assertThat(text(returned)).startsWith("Received: from client.example").contains("Subject: hello").doesNotContain("the body");
    }

    @Test
    void retFullReturnsTheWholeMessageAsMessageRfc822() throws Exception {
        Recipient bob = bob(Set.of());
        MimeMultipart report = (MimeMultipart) parse(compose(meta(Optional.of(DsnReturn.FULL), bob), ORIGINAL, userUnknown(bob))).getContent();
        BodyPart returned = report.getBodyPart(2);
        assertThat(returned.getContentType()).isEqualTo("message/rfc822");
        MimeMessage original = (MimeMessage) returned.getContent();
        assertThat(original.getSubject()).isEqualTo("hello");
        assertThat(original.getMessageID()).isEqualTo("<orig-1@example.org>");
        assertThat(original.getHeader("Received")).hasSize(1);
        assertThat(text(returned)).isEqualTo(ORIGINAL);
    }

    @Test
    void withoutRetASmallMessageComesBackWholeAndALargeOneAsHeaders() throws Exception {
        Recipient bob = bob(Set.of());
        DsnComposer capped = new DsnComposer(Clock.fixed(NOW, ZoneOffset.UTC), ORIGINAL.length());
        byte[] small = ORIGINAL.getBytes(StandardCharsets.US_ASCII);
        byte[] large = (ORIGINAL + "one more line\r\n").getBytes(StandardCharsets.US_ASCII);
        MessageMeta meta = meta(Optional.empty(), bob);

        MimeMultipart whole = (MimeMultipart) parse(capped.compose(meta, small, "mx.runnel.test", List.of(userUnknown(bob))).orElseThrow()).getContent();
        MimeMultipart headers = (MimeMultipart) parse(capped.compose(meta, large, "mx.runnel.test", List.of(userUnknown(bob))).orElseThrow()).getContent();
        assertThat(whole.getBodyPart(2).getContentType()).isEqualTo("message/rfc822");
        assertThat(headers.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
    }

    @Test
    void noDsnGoesToTheNullSender() {
        Recipient bob = bob(Set.of());
        MessageMeta bounce = meta(EmailAddress.NULL_SENDER, Optional.empty(), Optional.empty(), bob);
        assertThat(composer.compose(bounce, ORIGINAL.getBytes(StandardCharsets.US_ASCII), "mx.runnel.test", List.of(userUnknown(bob))))
                .isEmpty();
    }

    @Test
    void notifyNeverSuppressesAFailureDsn() {
        Recipient bob = bob(Set.of(DsnNotify.NEVER));
        assertThat(composer.compose(meta(Optional.empty(), bob), ORIGINAL.getBytes(StandardCharsets.US_ASCII), "mx.runnel.test",
                List.of(userUnknown(bob)))).isEmpty();
    }

    @Test
    void notifySuccessAloneSuppressesFailureAndDelayDsns() {
        Recipient bob = bob(Set.of(DsnNotify.SUCCESS));
        byte[] original = ORIGINAL.getBytes(StandardCharsets.US_ASCII);
        assertThat(composer.compose(meta(Optional.empty(), bob), original, "mx.runnel.test", List.of(userUnknown(bob)))).isEmpty();
        assertThat(composer.compose(meta(Optional.empty(), bob), original, "mx.runnel.test", List.of(delayed(bob)))).isEmpty();
    }

    @Test
    void notifyDelayAloneGetsDelayNoticesButNoFailureDsn() {
        Recipient bob = bob(Set.of(DsnNotify.DELAY));
        byte[] original = ORIGINAL.getBytes(StandardCharsets.US_ASCII);
        assertThat(composer.compose(meta(Optional.empty(), bob), original, "mx.runnel.test", List.of(userUnknown(bob)))).isEmpty();
        assertThat(composer.compose(meta(Optional.empty(), bob), original, "mx.runnel.test", List.of(delayed(bob)))).isPresent();
    }

    @Test
    void aDelayedDsnSaysDelayedWithWillRetryUntilAndReturnsOnlyHeaders() throws Exception {
        Recipient bob = bob(Set.of());
        MimeMessage message = parse(compose(meta(Optional.of(DsnReturn.FULL), bob), ORIGINAL, delayed(bob)));
        assertThat(message.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        MimeMultipart report = (MimeMultipart) message.getContent();
        InternetHeaders perRecipient = statusGroups(report.getBodyPart(1)).get(1);
        assertThat(perRecipient.getHeader("Action", null)).isEqualTo("delayed");
        assertThat(perRecipient.getHeader("Status", null)).isEqualTo("4.4.1");
        assertThat(perRecipient.getHeader("Will-Retry-Until", null)).isEqualTo("Thu, 3 Dec 2026 17:00:00 +0000");
        assertThat(unfold(perRecipient.getHeader("Diagnostic-Code", null))).startsWith("X-Runnel; connect to mx1.example.com");
        assertThat(perRecipient.getHeader("Remote-MTA")).isNull();
        assertThat(report.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
        assertThat(text(report.getBodyPart(0))).contains("will be retried until Thu, 3 Dec 2026");
    }

    @Test
    void oneDsnReportsEveryRecipientThatAskedForIt() throws Exception {
        Recipient bob = bob(Set.of());
        Recipient carol = Recipient.pending(EmailAddress.parse("carol@example.net"), Set.of(DsnNotify.FAILURE), Optional.empty());
        Recipient quiet = Recipient.pending(EmailAddress.parse("quiet@example.net"), Set.of(DsnNotify.NEVER), Optional.empty());
        ComposedDsn dsn = compose(meta(Optional.of(DsnReturn.HDRS), bob, carol, quiet), ORIGINAL,
                userUnknown(bob), userUnknown(carol), userUnknown(quiet));

        assertThat(dsn.reported()).containsExactly(bob.address(), carol.address());
        MimeMultipart report = (MimeMultipart) parse(dsn).getContent();
        List<InternetHeaders> groups = statusGroups(report.getBodyPart(1));
        assertThat(groups).hasSize(3);
        assertThat(groups.get(1).getHeader("Final-Recipient", null)).isEqualTo("rfc822; bob@example.com");
        assertThat(groups.get(2).getHeader("Final-Recipient", null)).isEqualTo("rfc822; carol@example.net");
        assertThat(text(report.getBodyPart(0))).contains("<bob@example.com>", "<carol@example.net>").doesNotContain("quiet@");
    }

    @Test
    void everyLineEndsInCrlfAndAnAsciiOriginalGivesASevenBitDsn() {
        Recipient bob = bob(Set.of());
        String longText = "word ".repeat(300).trim();
        RecipientReport report = new RecipientReport(bob, Action.FAILED, EnhancedStatus.parse("5.0.0"),
                new Diagnostic.Remote(SmtpReply.of(554, "5.0.0", longText)), Optional.empty(), Optional.empty(), Optional.empty());
        byte[] bytes = compose(meta(Optional.of(DsnReturn.FULL), bob), ORIGINAL, report).message();

        for (int i = 0; i < bytes.length; i++) {
            assertThat(bytes[i]).as("octet %d", i).isGreaterThanOrEqualTo((byte) 0);
            if (bytes[i] == '\n') {
                assertThat(bytes[i - 1]).as("LF at %d follows CR", i).isEqualTo((byte) '\r');
            }
        }
        for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(998);
        }
    }

    @Test
    void anEightBitOriginalMakesTheDsnEightBitMime() throws Exception {
        Recipient bob = bob(Set.of());
        String original = HEADERS + "\r\nGrüße aus Köln\r\n";
        ComposedDsn dsn = compose(meta(Optional.of(DsnReturn.FULL), bob), original, userUnknown(bob));
        assertThat(dsn.parameters().body()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        MimeMultipart report = (MimeMultipart) parse(dsn).getContent();
        assertThat(report.getBodyPart(2).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
    }

    @Test
    void aLocalDiagnosticCannotInjectHeaderFields() throws Exception {
        Recipient bob = bob(Set.of());
        RecipientReport report = new RecipientReport(bob, Action.FAILED, EnhancedStatus.parse("5.4.4"),
                new Diagnostic.Local("no route\r\nBcc: victim@example.net"), Optional.empty(), Optional.empty(), Optional.empty());
        MimeMultipart parts = (MimeMultipart) parse(compose(meta(Optional.empty(), bob), ORIGINAL, report)).getContent();
        InternetHeaders perRecipient = statusGroups(parts.getBodyPart(1)).get(1);
        assertThat(perRecipient.getHeader("Bcc")).isNull();
        assertThat(unfold(perRecipient.getHeader("Diagnostic-Code", null))).isEqualTo("X-Runnel; no route  Bcc: victim@example.net");
    }

    private static String unfold(String value) {
        return value.replaceAll("\r\n(?=[ \t])", "");
    }
}
