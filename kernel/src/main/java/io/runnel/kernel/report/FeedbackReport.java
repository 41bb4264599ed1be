package io.runnel.kernel.report;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 5965 feedback report (ARF), with KumoMTA's {@code feedback_report} field names. Values are as the report
 * wrote them (dates are not reformatted); fields a report may repeat are lists.
 *
 * @param feedbackType          Feedback-Type: abuse, fraud, virus, other, not-spam, auth-failure, opt-out ...
 * @param userAgent             User-Agent of the report generator
 * @param version               Version (1 in RFC 5965)
 * @param arrivalDate           Arrival-Date (or Received-Date) of the reported message
 * @param incidents             Incidents: how many times the reporter saw it
 * @param originalEnvelopeId    Original-Envelope-Id
 * @param originalMailFrom      Original-Mail-From
 * @param reportingMta          Reporting-MTA, split into its type ("dns") and name
 * @param sourceIp              Source-IP
 * @param authenticationResults Authentication-Results fields
 * @param originalRcptTo        Original-Rcpt-To fields: the complaining recipients
 * @param reportedDomain        Reported-Domain fields
 * @param reportedUri           Reported-URI fields
 * @param extensions            every other field of the report part, lower-case name to values
 */
public record FeedbackReport(String feedbackType, String userAgent, String version, Optional<String> arrivalDate,
                             Optional<Integer> incidents, Optional<String> originalEnvelopeId,
                             Optional<String> originalMailFrom, Optional<RemoteMta> reportingMta, Optional<String> sourceIp,
                             List<String> authenticationResults, List<String> originalRcptTo, List<String> reportedDomain,
                             List<String> reportedUri, Map<String, List<String>> extensions) {

    public FeedbackReport {
        Objects.requireNonNull(feedbackType, "feedbackType");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arrivalDate, "arrivalDate");
        Objects.requireNonNull(incidents, "incidents");
        Objects.requireNonNull(originalEnvelopeId, "originalEnvelopeId");
        Objects.requireNonNull(originalMailFrom, "originalMailFrom");
        Objects.requireNonNull(reportingMta, "reportingMta");
        Objects.requireNonNull(sourceIp, "sourceIp");
        authenticationResults = List.copyOf(authenticationResults);
        originalRcptTo = List.copyOf(originalRcptTo);
        reportedDomain = List.copyOf(reportedDomain);
        reportedUri = List.copyOf(reportedUri);
        extensions = Map.copyOf(extensions);
    }

    /** A Reporting-MTA value such as {@code dns; mail.example.com}. */
    public record RemoteMta(String mtaType, String name) {
        public RemoteMta {
            Objects.requireNonNull(mtaType, "mtaType");
            Objects.requireNonNull(name, "name");
        }

        static RemoteMta parse(String value) {
            int semi = value.indexOf(';');
            return semi < 0 ? new RemoteMta("dns", value.strip())
                    : new RemoteMta(value.substring(0, semi).strip(), value.substring(semi + 1).strip());
        }
    }
}
