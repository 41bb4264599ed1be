package io.runnel.plugin.filesink;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as operators write them in runnel.toml: {@code 4096}, {@code 64MiB}, {@code 10MB}, {@code 2GiB}. */
final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?");

    private Sizes() {
    }

    static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as \"64MiB\", got \"" + text + "\"");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        if (unit.equals("b")) {
            return n;
        }
        long base = unit.contains("i") ? 1024 : 1000;
        int power = "kmgt".indexOf(unit.charAt(0)) + 1;
        long factor = 1;
        for (int i = 0; i < power; i++) {
            factor *= base;
        }
        return Math.multiplyExact(n, factor);
    }
}
