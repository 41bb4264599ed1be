package io.runnel.kernel.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A cheap test that lets the classifier skip a rule's regular expression: for a pattern made of top-level
 * alternatives that each contain a required plain text of at least three characters ({@code (?i)no such user|
 * (mailbox|inbox) is full}), a line can only match if it contains one of those texts. Derived conservatively: any pattern this cannot
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
            Optional<String> literal = requiredLiteral(alternative);
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
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(regex, i);
                if (i < 0) {
                    return List.of();
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                out.add(regex.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            return List.of();
        }
        out.add(regex.substring(start));
        return out;
    }

    /**
     * The longest plain text that every match of an alternative contains: a run of literal characters outside groups
     * and classes, not made optional by a quantifier. Empty when there is none of at least three characters.
     */
    private static Optional<String> requiredLiteral(String alternative) {
        String best = "";
        StringBuilder run = new StringBuilder();
        int i = 0;
        while (i < alternative.length()) {
            char c = alternative.charAt(i);
            if (c == '\\') {
                if (i + 1 >= alternative.length()) {
                    return Optional.empty();
                }
                char next = alternative.charAt(i + 1);
                if (Character.isLetterOrDigit(next)) {
                    best = longer(best, run); // \d, \s, \b, \w, \1 ...: not plain text
                    run.setLength(0);
                } else {
                    run.append(next);
                }
                i += 2;
            } else if (c == '(' || c == '[') {
                best = longer(best, run);
                run.setLength(0);
                int close = skip(alternative, i);
                if (close < 0) {
                    return Optional.empty();
                }
                i = close + 1;
            } else if (c == '?' || c == '*' || c == '{') {
                if (run.length() > 0) {
                    run.setLength(run.length() - 1); // the previous character is optional
                }
                best = longer(best, run);
                run.setLength(0);
                i++;
            } else if (META.indexOf(c) >= 0) {
                best = longer(best, run);
                run.setLength(0);
                i++;
            } else if (c > 127) {
                return Optional.empty(); // case folding of non-ASCII differs between the regex and toLowerCase
            } else {
                run.append(c);
                i++;
            }
        }
        best = longer(best, run);
        return best.length() >= MIN_LITERAL ? Optional.of(best) : Optional.empty();
    }

    /** The index of the {@code )} or {@code ]} closing the group or class that opens at {@code open}; -1 if none. */
    private static int skip(String regex, int open) {
        if (regex.charAt(open) == '[') {
            return classEnd(regex, open);
        }
        int depth = 0;
        for (int i = open; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(regex, i);
                if (i < 0) {
                    return -1;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * The index of the {@code ]} closing the class that opens at {@code open}; a {@code ]} first in the class (after
     * an optional {@code ^}) is a literal. Nested classes ({@code [a-z&&[^q]]}) are not read: -1, as for no close.
     */
    private static int classEnd(String regex, int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        for (; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                return -1;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }

    private static String longer(String best, StringBuilder run) {
        return run.length() > best.length() ? run.toString() : best;
    }
}
