package io.runnel.kernel.shaping;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate in KumoMTA's throttle syntax: {@code [local:]LIMIT/[N]UNIT[,max_burst=B]}, for example {@code 100/s},
 * {@code 5,000/h}, {@code 20/30min,max_burst=5}, {@code local:1000/day}.
 *
 * @param limit    cells allowed per period
 * @param period   the period the limit applies to
 * @param maxBurst cells allowed back to back after an idle spell (defaults to {@code limit}, as in KumoMTA)
 * @param local    {@code local:}: kept on this node, never shared through Redis
 */
public record ThrottleSpec(long limit, Duration period, long maxBurst, boolean local) {

    private static final Pattern SYNTAX = Pattern.compile(
            "(local:)?([0-9][0-9,_]*)/([0-9]*)([a-z]+)(?:,max_burst=([0-9][0-9,_]*))?");

    public ThrottleSpec {
        if (limit < 1 || maxBurst < 1) {
            throw new IllegalArgumentException("throttle limit and max_burst must be at least 1");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("throttle period must be positive");
        }
    }

    /** Parses a spec; the exception's message says what is wrong in words a config error can show. */
    public static ThrottleSpec parse(String text) {
        String spec = text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        Matcher m = SYNTAX.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a throttle: expected LIMIT/PERIOD such as"
                    + " 100/s, 5,000/h, 20/30min or 10/minute, optionally local: before and ,max_burst=N after");
        }
        long limit = number(m.group(2), text);
        long multiple = m.group(3).isEmpty() ? 1 : number(m.group(3), text);
        Duration period;
        try {
            period = unit(m.group(4), text).multipliedBy(multiple);
        } catch (ArithmeticException e) { // "1/99999999999999999h": more seconds than a Duration holds
            throw new IllegalArgumentException("\"" + text + "\": period out of range", e);
        }
        long burst = m.group(5) == null ? limit : number(m.group(5), text);
        try {
            return new ThrottleSpec(limit, period, burst, m.group(1) != null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\": " + e.getMessage(), e);
        }
    }

    /** Time between two cells at the steady rate. */
    public Duration interval() {
        return period.dividedBy(limit);
    }

    private static long number(String digits, String text) {
        try {
            return Long.parseLong(digits.replace(",", "").replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\": number out of range: " + digits, e);
        }
    }

    private static Duration unit(String unit, String text) {
        return switch (unit) {
            case "s", "sec", "secs", "second", "seconds" -> Duration.ofSeconds(1);
            case "m", "min", "mins", "minute", "minutes" -> Duration.ofMinutes(1);
            case "h", "hr", "hrs", "hour", "hours" -> Duration.ofHours(1);
            case "d", "day", "days" -> Duration.ofDays(1);
            default -> throw new IllegalArgumentException("\"" + text + "\": unknown period unit \"" + unit
                    + "\" (use s, min, h or day)");
        };
    }

    /** The spec in its own syntax (the period in seconds), so it parses back to an equal spec. */
    @Override
    public String toString() {
        return (local ? "local:" : "") + limit + "/" + period.toSeconds() + "s" + (maxBurst != limit ? ",max_burst=" + maxBurst : "");
    }
}
