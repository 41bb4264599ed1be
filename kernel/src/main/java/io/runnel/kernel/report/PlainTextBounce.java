package io.runnel.kernel.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The non-standard bounces: plain-text notices from qmail, Exim, old Postfix and Sendmail, Exchange, Yahoo and the
 * like. The explanation ends where the returned message starts; each failed address found in it gets the text that
 * follows it, up to the next address, as its diagnostic.
 */
final class PlainTextBounce {

    /** Where the returned copy of the original message starts, in the formats this recognises. */
    static final Pattern RETURNED_START = Pattern.compile(
            "(?im)^[ \\t]*(?:-{2,}.{0,20}?(?:this is a copy|below this line|original message|returned message|undelivered message"
                    + "|message header|unsent message|headers of|forwarded message)"
                    + "|original message follows|message text follows|message headers follow"
                    + "|-{3,} ?(?:the )?original message|content-type: ?message/rfc822|content-type: ?text/rfc822-headers"
                    + "|return-path: ?<|received: from |x-[a-z0-9-]+: |\\*\\*\\* original message)");
    private static final Pattern ADDRESS = Pattern.compile(
            "(?<![\\w.+/=%-])<?([A-Za-z0-9][A-Za-z0-9._%+=!#$&'*^`{|}~/-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)>?");
    private static final Pattern HEADER_LINE = Pattern.compile("(?i)^[ \\t]*(to|from|cc|reply-to|sender|return-path|subject|sent|date|message-id)[ \\t]*:");
    private static final Set<String> SYSTEM_LOCAL_PARTS = Set.of("mailer-daemon", "postmaster", "mailerdaemon", "root", "abuse",
            "noreply", "no-reply", "double-bounce");
    private static final int MAX_DIAGNOSTIC = 1000;

    private PlainTextBounce() {
    }

    /** Where the explanation ends in {@code text}: the start of the returned message, or the end. */
    static int explanationEnd(String text) {
        Matcher m = RETURNED_START.matcher(text);
        return m.find() ? m.start() : text.length();
    }

    /**
     * The failed recipients of a plain-text bounce.
     *
     * @param explanation the human-readable part, returned message cut off
     * @param known       failed addresses the bounce's headers already name (X-Failed-Recipients), possibly none
     * @param exclude     addresses that are not recipients (the bounce's own From and To), lower case
     */
    static List<FailedRecipient> recipients(String explanation, List<String> known, Set<String> exclude) {
        Map<String, Integer> firstSeen = new LinkedHashMap<>();
        List<int[]> spans = new ArrayList<>();
        Matcher m = ADDRESS.matcher(explanation);
        while (m.find()) {
            String address = trimDots(m.group(1));
            String lower = address.toLowerCase(Locale.ROOT);
            boolean listed = listed(explanation, m.start(), m.end());
            if ((exclude.contains(lower) || SYSTEM_LOCAL_PARTS.contains(lower.substring(0, lower.indexOf('@')))) && !listed
                    || onHeaderLine(explanation, m.start())) {
                continue;
            }
            if (!known.isEmpty() && known.stream().noneMatch(k -> k.equalsIgnoreCase(address))) {
                continue;
            }
            spans.add(new int[] {m.start(), m.end()});
            firstSeen.putIfAbsent(lower, spans.size() - 1);
        }
        List<FailedRecipient> out = new ArrayList<>();
        List<String> addresses = new ArrayList<>(firstSeen.keySet());
        for (int i = 0; i < addresses.size(); i++) {
            int first = firstSeen.get(addresses.get(i));
            int[] span = spans.get(first);
            int end = nextOtherAddress(explanation, spans, first);
            String diagnostic = explanation.substring(span[1], Math.min(end, span[1] + MAX_DIAGNOSTIC));
            if (!hasWords(diagnostic)) {
                diagnostic = explanation; // the address stood alone (a list, then the reason): the whole notice explains
            }
            String original = explanation.substring(span[0], span[1]).replaceAll("^<|>$", "");
            out.add(Diagnostics.recipient(trimDots(original), diagnostic, Optional.empty(), Optional.empty()));
        }
        if (out.isEmpty()) {
            for (String address : known) { // the headers named them, the text did not: the notice explains them all
                out.add(Diagnostics.recipient(address, explanation, Optional.empty(), Optional.empty()));
            }
        }
        return out;
    }

    /**
     * Where the text about the address at {@code spans[index]} ends: where a different address next appears (a
     * repeat of the same address, as in "<a@x>: 550 <a@x>... User unknown", belongs to its text), else the end.
     */
    private static int nextOtherAddress(String explanation, List<int[]> spans, int index) {
        String self = explanation.substring(spans.get(index)[0], spans.get(index)[1]).replaceAll("^<|>$", "").toLowerCase(Locale.ROOT);
        for (int j = index + 1; j < spans.size(); j++) {
            String other = explanation.substring(spans.get(j)[0], spans.get(j)[1]).replaceAll("^<|>$", "").toLowerCase(Locale.ROOT);
            if (!trimDots(other).equals(trimDots(self))) {
                return spans.get(j)[0];
            }
        }
        return explanation.length();
    }

    private static boolean hasWords(String text) {
        return text.chars().filter(Character::isLetter).count() >= 8;
    }

    /**
     * Whether the address is listed as a failed one: at the start of a line and followed by a colon (Exim, qmail) or
     * alone on its line (Sendmail-like lists under "The following addresses had ..."). Such a line names a failed
     * recipient even when it is the bounce's own To (mail sent to oneself) or a postmaster address.
     */
    private static boolean listed(String text, int start, int end) {
        int lineStart = text.lastIndexOf('\n', start) + 1;
        int lineEnd = text.indexOf('\n', end);
        String rest = text.substring(end, lineEnd < 0 ? text.length() : lineEnd);
        return text.substring(lineStart, start).isBlank() && (rest.startsWith(":") || rest.isBlank());
    }

    private static boolean onHeaderLine(String text, int at) {
        int lineStart = text.lastIndexOf('\n', at) + 1;
        return HEADER_LINE.matcher(text.substring(lineStart, at)).lookingAt();
    }

    private static String trimDots(String address) {
        String a = address;
        while (a.endsWith(".") || a.endsWith(",") || a.endsWith(";")) {
            a = a.substring(0, a.length() - 1);
        }
        return a;
    }
}
