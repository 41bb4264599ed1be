package io.runnel.kernel.config;

import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.report.BounceClassifier;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How outcomes are classified and reported back: the bounce classifier compiled from {@code [log] bounce_rules},
 * the header fields records capture ({@code [log] headers}), VERP for outbound envelopes ({@code [verp]}) and the
 * addresses whose mail is read as bounces or feedback reports instead of being relayed.
 *
 * @param classifier        the compiled bounce rules
 * @param logHeaders        header fields copied into every record's {@code headers}, as named in the config
 * @param verp              VERP settings, when outbound MAIL FROM carries the spool id and recipient
 * @param bounceDomains     domains whose mail is parsed as bounces / feedback reports (from {@code [server]})
 * @param feedbackAddresses single addresses in any domain whose mail is parsed the same way ({@code fbl@example.com})
 */
public record ReportConfig(BounceClassifier classifier, List<String> logHeaders, Optional<Verp> verp,
                           Set<String> bounceDomains, Set<String> feedbackAddresses) {

    public ReportConfig {
        Objects.requireNonNull(classifier, "classifier");
        logHeaders = List.copyOf(logHeaders);
        Objects.requireNonNull(verp, "verp");
        bounceDomains = lower(bounceDomains);
        feedbackAddresses = lower(feedbackAddresses);
    }

    /** True when mail to {@code recipient} is a report to read in-line rather than a message to relay. */
    public boolean isReportAddress(EmailAddress recipient) {
        return bounceDomains.contains(recipient.domain().toLowerCase(Locale.ROOT))
                || feedbackAddresses.contains(recipient.toString().toLowerCase(Locale.ROOT));
    }

    /**
     * VERP: outbound MAIL FROM becomes {@code <prefix>+<spool id>=<rcpt local>=<rcpt domain>@<domain>}.
     *
     * @param domain one of {@code [server] bounce_domains}
     * @param prefix the local-part prefix before {@code +}
     */
    public record Verp(String domain, String prefix) {
        public Verp {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    private static Set<String> lower(Set<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
