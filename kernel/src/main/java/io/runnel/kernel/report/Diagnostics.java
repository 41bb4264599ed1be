package io.runnel.kernel.report;

import io.runnel.api.smtp.EnhancedStatus;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the reply code and enhanced status code in a bounce's diagnostic text and strips them from it. */
final class Diagnostics {

    private static final Pattern CODE = Pattern.compile("(?<![\\d.])([245]\\d\\d)(?=[ \\-:]|$)");
    private static final Pattern STATUS = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
    private static final Pattern DIAG_TYPE = Pattern.compile("^(?i)(smtp|x-[a-z0-9-]+)\\s*;\\s*");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private Diagnostics() {
    }

    /** A failed recipient from a free-text diagnostic; {@code fallbackStatus} is used when the text has no status code. */
    static FailedRecipient recipient(String recipient, String text, Optional<EnhancedStatus> fallbackStatus,
                                     Optional<String> remoteMta) {
        String clean = SPACE.matcher(DIAG_TYPE.matcher(text.strip()).replaceFirst("")).replaceAll(" ").strip();
        Optional<Integer> code = Optional.empty();
        Matcher c = CODE.matcher(clean);
        if (c.find() && c.start() < 200) {
            code = Optional.of(Integer.parseInt(c.group(1)));
        }
        Optional<EnhancedStatus> status = Optional.empty();
        Matcher s = STATUS.matcher(clean);
        if (s.find() && (code.isEmpty() || s.group(1).charAt(0) == String.valueOf(code.get()).charAt(0))) {
            status = parse(s.group());
        }
        if (status.isEmpty()) {
            status = fallbackStatus;
        }
        String content = clean;
        if (code.isPresent() && c.start() == 0) {
            content = content.substring(c.end()).replaceFirst("^[ \\-:]+", "");
        }
        if (status.isPresent() && content.startsWith(status.get().toString())) {
            content = content.substring(status.get().toString().length()).strip();
        }
        return new FailedRecipient(recipient, code, status, content, remoteMta);
    }

    static Optional<EnhancedStatus> parse(String text) {
        try {
            return Optional.of(EnhancedStatus.parse(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
