package io.runnel.kernel.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads RFC 5965 feedback reports: a {@code multipart/report; report-type=feedback-report} whose
 * {@code message/feedback-report} part holds the fields. Complaints in other shapes (Microsoft JMRP's
 * multipart/mixed, Amazon SES JSON, Apple unsubscribe mail) are not ARF and are not read as such.
 */
public final class ArfParser {

    private static final Set<String> KNOWN = Set.of("feedback-type", "user-agent", "version", "arrival-date", "received-date",
            "incidents", "original-envelope-id", "original-mail-from", "reporting-mta", "source-ip",
            "authentication-results", "original-rcpt-to", "reported-domain", "reported-uri");

    private ArfParser() {
    }

    /** A parsed report and the returned original's headers. */
    public record Feedback(FeedbackReport report, ReturnedHeaders returned) {
    }

    /** True when the message declares itself an ARF report. */
    static boolean isArf(MimeParts parts) {
        return parts.topType().equals("multipart/report") && parts.reportType().map("feedback-report"::equals).orElse(false)
                && parts.first("message/feedback-report").isPresent();
    }

    public static Optional<Feedback> parse(byte[] message) {
        return parse(MimeParts.of(message));
    }

    static Optional<Feedback> parse(MimeParts parts) {
        if (!isArf(parts)) {
            return Optional.empty();
        }
        Map<String, List<String>> fields = fields(parts.first("message/feedback-report").orElseThrow().text());
        Optional<String> type = first(fields, "feedback-type");
        if (type.isEmpty()) { // missing, or present without a value: not a report we can classify
            return Optional.empty();
        }
        Map<String, List<String>> extensions = new LinkedHashMap<>(fields);
        KNOWN.forEach(extensions::remove);
        FeedbackReport report = new FeedbackReport(
                type.get().toLowerCase(Locale.ROOT),
                first(fields, "user-agent").orElse(""),
                first(fields, "version").orElse("1"),
                first(fields, "arrival-date").or(() -> first(fields, "received-date")),
                first(fields, "incidents").flatMap(ArfParser::integer),
                first(fields, "original-envelope-id"),
                first(fields, "original-mail-from"),
                first(fields, "reporting-mta").map(FeedbackReport.RemoteMta::parse),
                first(fields, "source-ip"),
                all(fields, "authentication-results"),
                all(fields, "original-rcpt-to"),
                all(fields, "reported-domain"),
                all(fields, "reported-uri"),
                extensions);
        ReturnedHeaders returned = parts.leaves().stream()
                .filter(l -> l.type().equals("message/rfc822") || l.type().equals("text/rfc822-headers")
                        || l.type().equals("message/rfc822-headers"))
                .findFirst().map(l -> ReturnedHeaders.parse(l.text())).orElse(ReturnedHeaders.NONE);
        return Optional.of(new Feedback(report, returned));
    }

    /** The report part's fields, lower-case name to values in order; folded lines unfolded. */
    private static Map<String, List<String>> fields(String text) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String name = null;
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
                List<String> values = fields.get(name);
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                name = null;
                continue;
            }
            name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        return fields;
    }

    private static Optional<String> first(Map<String, List<String>> fields, String name) {
        return Optional.ofNullable(fields.get(name)).map(v -> v.get(0)).filter(v -> !v.isEmpty());
    }

    private static List<String> all(Map<String, List<String>> fields, String name) {
        return fields.getOrDefault(name, List.of()).stream().filter(v -> !v.isEmpty()).toList();
    }

    private static Optional<Integer> integer(String text) {
        try {
            return Optional.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
