package io.runnel.kernel.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes as operators write them: {@code 4096}, {@code 50MiB}, {@code 10MB}, {@code 8 GiB}. */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as \"50MiB\" or \"4096\", got \"" + text + "\"");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        boolean binary = unit.contains("i");
        long base = binary ? 1024 : 1000;
        int power = switch (unit.charAt(0)) {
            case 'k' -> 1;
            case 'm' -> 2;
            case 'g' -> 3;
            case 't' -> 4;
            default -> 0;
        };
        long multiplier = 1;
        for (int i = 0; i < power; i++) {
            multiplier *= base;
        }
        if (number > Long.MAX_VALUE / multiplier) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        if (number == 0) {
            throw new IllegalArgumentException("size must be greater than 0");
        }
        return number * multiplier;
    }
}
