package io.runnel.kernel.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as operators write them: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, and as
 * KumoMTA's shaping files write them: {@code 2 hours}, {@code 90 minutes}, {@code 30 days}. Several parts add up:
 * {@code 1h30m}, {@code 1 hour 30 minutes}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)\\s*([a-z]+)\\s*");

    private Durations() {
    }

    public static Duration parse(String text) {
        String spec = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = PART.matcher(spec);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < spec.length() && m.find(at) && m.start() == at) {
            total = total.plus(unit(m.group(2), text).multipliedBy(number(m.group(1), text)));
            at = m.end();
        }
        if (at == 0 || at < spec.length()) {
            throw new IllegalArgumentException("expected a duration such as \"30s\", \"5m\", \"250ms\", \"2 hours\" or"
                    + " \"1h30m\", got \"" + text + "\"");
        }
        return total;
    }

    private static long number(String digits, String text) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\": number out of range: " + digits, e);
        }
    }

    private static Duration unit(String unit, String text) {
        return switch (unit) {
            case "ms", "msec", "msecs", "millisecond", "milliseconds" -> Duration.ofMillis(1);
            case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(1);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(1);
            case "h", "hr", "hrs", "hour", "hours" -> Duration.ofHours(1);
            case "d", "day", "days" -> Duration.ofDays(1);
            case "w", "week", "weeks" -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException("\"" + text + "\": unknown unit \"" + unit
                    + "\" (use ms, s, m, h, d or w, or their long forms such as \"hours\")");
        };
    }
}
