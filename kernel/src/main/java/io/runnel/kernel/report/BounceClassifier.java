package io.runnel.kernel.report;

import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.log.LogRecord;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the category of a reply (KumoMTA's bounce classifier): the first rule whose regular expression is found in
 * {@code "<code> <enhanced-code> <text>"} decides, in the order the rules files list them. Patterns are compiled once
 * when the files are loaded, and each gets a literal prefilter ({@link LiteralPrefilter}) so most rules cost one
 * {@code indexOf} per alternative instead of a regex scan. Immutable, safe for concurrent use.
 */
public final class BounceClassifier {

    public static final String UNCATEGORIZED = LogRecord.UNCATEGORIZED;
    public static final String MESSAGE_EXPIRED = "MessageExpired";
    public static final String TRANSIENT_FAILURE = "TransientFailure";

    /** One regular expression of a category, in the order of the files. */
    public record Rule(String category, Pattern pattern) {
        public Rule {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** A rule with its literal prefilter, when one could be derived. */
    private record Compiled(Rule rule, Optional<LiteralPrefilter> prefilter) {
    }

    private final List<Compiled> rules;

    public BounceClassifier(List<Rule> rules) {
        this.rules = rules.stream().map(r -> new Compiled(r, LiteralPrefilter.of(r.pattern().pattern()))).toList();
    }

    /** A classifier without rules: everything is Uncategorized. */
    public static BounceClassifier none() {
        return new BounceClassifier(List.of());
    }

    public int size() {
        return rules.size();
    }

    /** The category of a reply, {@link #UNCATEGORIZED} when no rule matches. */
    public String classify(int code, Optional<EnhancedStatus> enhanced, String text) {
        return classify(subject(code, enhanced, text));
    }

    public String classify(SmtpReply reply) {
        return classify(reply.code(), reply.enhancedStatus(), String.join(" ", reply.lines()));
    }

    /**
     * An Expiration's category: what the last reply before giving up says, when that names a cause (a block, a
     * full mailbox); MessageExpired when it is just "try later" (Uncategorized or TransientFailure).
     */
    public String classifyExpiry(SmtpReply lastReply) {
        String category = classify(lastReply);
        return category.equals(UNCATEGORIZED) || category.equals(TRANSIENT_FAILURE) ? MESSAGE_EXPIRED : category;
    }

    public String classify(LogRecord.Response response) {
        return classify(response.code(), response.enhancedCode(), response.content());
    }

    /**
     * The category of an already formatted {@code "<code> <enhanced-code> <text>"} line. Rules whose required text
     * does not occur in the line are skipped without running their regular expression.
     */
    public String classify(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        for (Compiled compiled : rules) {
            if (compiled.prefilter().map(p -> p.mayMatch(line, lower)).orElse(true)
                    && compiled.rule().pattern().matcher(line).find()) {
                return compiled.rule().category();
            }
        }
        return UNCATEGORIZED;
    }

    /** The line rules match against, as KumoMTA builds it: code, enhanced code when there is one, text. */
    public static String subject(int code, Optional<EnhancedStatus> enhanced, String text) {
        StringBuilder line = new StringBuilder(text.length() + 12).append(code).append(' ');
        enhanced.ifPresent(status -> line.append(status).append(' '));
        return line.append(text).toString();
    }
}
