package io.runnel.kernel.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A cheap test that lets the classifier skip a rule's regular expression: for a pattern made of top-level
 * alternatives that each start with a plain text of at least three characters ({@code (?i)no such user|mailbox
 * full}), a line can only match if it contains one of those texts. Derived conservatively: any pattern this cannot
 * read for certain gets no prefilter and always runs.
 *
 * @param literals    one required text per alternative
 * @param ignoreCase  whether they are compared with the lower-cased line (the pattern starts with {@code (?i)})
 */
record LiteralPrefilter(List<String> literals, boolean ignoreCase) {

    private static final int MIN_LITERAL = 3;
    private static final String META = "\\()[]{}.*+?|^$";

    /** Whether {@code line} (and its lower-cased form) may match. */
    boolean mayMatch(String line, String lowerLine) {
        String subject = ignoreCase ? lowerLine : line;
        for (String literal : literals) {
            if (subject.contains(literal)) {
                return true;
            }
        }
        return false;
    }

    static Optional<LiteralPrefilter> of(String regex) {
        boolean ignoreCase = regex.startsWith("(?i)");
        String body = ignoreCase ? regex.substring(4) : regex;
        if (body.contains("(?")) {
            return Optional.empty(); // inline flags, look-arounds, named groups: not read here
        }
        List<String> alternatives = topLevelAlternatives(body);
        if (alternatives.isEmpty()) {
            return Optional.empty();
        }
        List<String> literals = new ArrayList<>();
        for (String alternative : alternatives) {
            Optional<String> literal = leadingLiteral(alternative);
            if (literal.isEmpty()) {
                return Optional.empty();
            }
            literals.add(ignoreCase ? literal.get().toLowerCase(Locale.ROOT) : literal.get());
        }
        return Optional.of(new LiteralPrefilter(List.copyOf(literals), ignoreCase));
    }

    /** Splits at the {@code |} outside groups and classes; empty when the pattern is malformed for this reading. */
    private static List<String> topLevelAlternatives(String regex) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                out.add(regex.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0 || inClass) {
            return List.of();
        }
        out.add(regex.substring(start));
        return out;
    }

    /** The plain text an alternative starts with (after a leading {@code \b}), if it is long enough and certain. */
    private static Optional<String> leadingLiteral(String alternative) {
        StringBuilder literal = new StringBuilder();
        int i = alternative.startsWith("\\b") ? 2 : 0;
        while (i < alternative.length()) {
            char c = alternative.charAt(i);
            if (c == '\\') {
                if (i + 1 >= alternative.length()) {
                    return Optional.empty();
                }
                char next = alternative.charAt(i + 1);
                if (Character.isLetterOrDigit(next)) {
                    break; // \d, \s, \b, \w, \1 ...: not plain text
                }
                literal.append(next);
                i += 2;
                continue;
            }
            if (META.indexOf(c) >= 0) {
                if ((c == '?' || c == '*' || c == '{') && literal.length() > 0) {
                    literal.setLength(literal.length() - 1); // the previous character is optional
                }
                break;
            }
            if (c > 127) {
                return Optional.empty(); // case folding of non-ASCII differs between the regex and toLowerCase
            }
            literal.append(c);
            i++;
        }
        return literal.length() >= MIN_LITERAL ? Optional.of(literal.toString()) : Optional.empty();
    }
}
