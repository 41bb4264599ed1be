package io.runnel.kernel.report;

import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.log.LogRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names the category of a reply (KumoMTA's bounce classifier): the first rule whose regular expression is found in
 * {@code "<code> <enhanced-code> <text>"} decides, in the order the rules files list them. Patterns are compiled once
 * when the files are loaded; classification allocates nothing but the subject string. Immutable, safe for concurrent
 * use.
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

    private final List<Rule> rules;

    public BounceClassifier(List<Rule> rules) {
        this.rules = List.copyOf(rules);
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

    /** The category of an already formatted {@code "<code> <enhanced-code> <text>"} line. */
    public String classify(CharSequence line) {
        for (Rule rule : rules) {
            if (rule.pattern().matcher(line).find()) {
                return rule.category();
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
