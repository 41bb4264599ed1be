package io.runnel.kernel.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** The 25 feedback reports of testdata/arf: every ARF is read to the fields its manifest lists; the rest are not ARF. */
class ArfCorpusTest {

    @Test
    void realFeedbackReportsParseToTheirFields() throws Exception {
        Path dir = TestData.dir("arf");
        List<Map<String, String>> rows = TestData.rows(dir.resolve("expected.tsv"));
        assertThat(rows).hasSize(25);
        SoftAssertions soft = new SoftAssertions();
        int arf = 0;
        for (Map<String, String> row : rows) {
            String file = row.get("file");
            Optional<ArfParser.Feedback> parsed = ArfParser.parse(Files.readAllBytes(dir.resolve(file)));
            if (!row.get("kind").startsWith("RFC 5965")) {
                soft.assertThat(parsed).as(file + " is not ARF").isEmpty();
                continue;
            }
            arf++;
            soft.assertThat(parsed).as(file).isPresent();
            if (parsed.isEmpty()) {
                continue;
            }
            FeedbackReport r = parsed.get().report();
            soft.assertThat(r.feedbackType()).as(file + " feedback_type").isEqualTo(row.get("expected_feedback_type"));
            soft.assertThat(r.userAgent()).as(file + " user_agent").isEqualTo(row.get("arf_user_agent"));
            soft.assertThat(r.version()).as(file + " version").isEqualTo(row.get("arf_version"));
            soft.assertThat(r.originalMailFrom().orElse("")).as(file + " original_mail_from").isEqualTo(row.get("arf_original_mail_from"));
            soft.assertThat(String.join(" | ", r.originalRcptTo())).as(file + " original_rcpt_to").isEqualTo(row.get("arf_original_rcpt_to"));
            String date = row.get("arf_arrival_date").isEmpty() ? row.get("arf_received_date") : row.get("arf_arrival_date");
            soft.assertThat(r.arrivalDate().orElse("")).as(file + " arrival_date").isEqualTo(date);
            soft.assertThat(r.reportingMta().map(m -> m.mtaType() + "; " + m.name()).orElse(""))
                    .as(file + " reporting_mta").isEqualTo(row.get("arf_reporting_mta").replaceFirst(";\\s*", "; "));
            soft.assertThat(r.sourceIp().orElse("")).as(file + " source_ip").isEqualTo(row.get("arf_source_ip"));
            soft.assertThat(r.incidents().map(String::valueOf).orElse("")).as(file + " incidents").isEqualTo(row.get("arf_incidents"));
            soft.assertThat(String.join(" | ", r.reportedDomain())).as(file + " reported_domain").isEqualTo(row.get("arf_reported_domain"));
            soft.assertThat(String.join(" | ", r.reportedUri())).as(file + " reported_uri").isEqualTo(row.get("arf_reported_uri"));
            soft.assertThat(r.originalEnvelopeId().orElse("")).as(file + " original_envelope_id").isEqualTo(row.get("arf_original_envelope_id"));
            if (!row.get("n_reports_expected").isEmpty()) {
                soft.assertThat(Math.max(1, r.originalRcptTo().size())).as(file + " records")
                        .isEqualTo(Integer.parseInt(row.get("n_reports_expected")));
            }
        }
        soft.assertThat(arf).isEqualTo(20);
        soft.assertAll();
    }

    @Test
    void aReportWhoseFeedbackTypeHasNoValueIsNotAFeedbackReport() {
        String report = """
                From: fbl@isp.example\r
                To: fbl@runnel.test\r
                Subject: report\r
                MIME-Version: 1.0\r
                Content-Type: multipart/report; report-type=feedback-report; boundary="b"\r
                \r
                --b\r
                Content-Type: text/plain\r
                \r
                abuse report\r
                --b\r
                Content-Type: message/feedback-report\r
                \r
                Feedback-Type:\r
                User-Agent: fuzz/1.0\r
                Version: 1\r
                --b--\r
                """;

        assertThat(ArfParser.parse(report.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isEmpty();
    }
}
