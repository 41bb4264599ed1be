package io.runnel.kernel.shaping;

import io.runnel.kernel.config.DeliveryConfig.EnableTls;
import io.runnel.kernel.config.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.tomlj.TomlTable;

/**
 * The keys a shaping block may set, with KumoMTA's names, and the KumoMTA keys Runnel recognises but does not
 * apply (a file written for KumoMTA still loads; those are reported as warnings).
 */
public final class ShapingKeys {

    public static final ShapingKey<Integer> CONNECTION_LIMIT = integer("connection_limit", 1, 100_000);
    public static final ShapingKey<ThrottleSpec> MAX_CONNECTION_RATE = throttle("max_connection_rate");
    public static final ShapingKey<ThrottleSpec> MAX_MESSAGE_RATE = throttle("max_message_rate");
    public static final ShapingKey<Integer> MAX_DELIVERIES_PER_CONNECTION = integer("max_deliveries_per_connection", 1, 1_000_000);
    public static final ShapingKey<Integer> MAX_READY = integer("max_ready", 1, 10_000_000);
    public static final ShapingKey<Duration> IDLE_TIMEOUT = duration("idle_timeout");
    public static final ShapingKey<EnableTls> ENABLE_TLS = new ShapingKey<>("enable_tls", ShapingKeys::enableTls);
    /** Runnel's own: send each message as one pipelined BDAT where the MX offers CHUNKING (default true). */
    public static final ShapingKey<Boolean> ENABLE_CHUNKING = new ShapingKey<>("enable_chunking", ShapingKeys::booleanValue);
    public static final ShapingKey<Integer> SMTP_PORT = integer("smtp_port", 1, 65_535);
    public static final ShapingKey<String> EHLO_DOMAIN = new ShapingKey<>("ehlo_domain", ShapingKeys::hostName);
    public static final ShapingKey<Duration> CONNECT_TIMEOUT = duration("connect_timeout");
    public static final ShapingKey<Duration> BANNER_TIMEOUT = duration("banner_timeout");
    public static final ShapingKey<Duration> EHLO_TIMEOUT = duration("ehlo_timeout");
    public static final ShapingKey<Duration> STARTTLS_TIMEOUT = duration("starttls_timeout");
    public static final ShapingKey<Duration> MAIL_FROM_TIMEOUT = duration("mail_from_timeout");
    public static final ShapingKey<Duration> RCPT_TO_TIMEOUT = duration("rcpt_to_timeout");
    public static final ShapingKey<Duration> DATA_TIMEOUT = duration("data_timeout");
    public static final ShapingKey<Duration> DATA_DOT_TIMEOUT = duration("data_dot_timeout");
    public static final ShapingKey<Duration> RSET_TIMEOUT = duration("rset_timeout");
    public static final ShapingKey<Integer> CONNECTION_FAILURES_BEFORE_DELAY =
            integer("consecutive_connection_failures_before_delay", 1, 1_000_000);
    public static final ShapingKey<Integer> MAX_RECIPIENTS_PER_BATCH = integer("max_recipients_per_batch", 1, 100_000);
    public static final ShapingKey<Duration> RETRY_INTERVAL = duration("retry_interval");
    public static final ShapingKey<Duration> MAX_RETRY_INTERVAL = duration("max_retry_interval");
    public static final ShapingKey<Duration> MAX_AGE = duration("max_age");
    public static final ShapingKey<Map<String, ThrottleSpec>> ADDITIONAL_MESSAGE_RATE_THROTTLES =
            named("additional_message_rate_throttles", ShapingKeys::throttleValue);
    public static final ShapingKey<Map<String, Integer>> ADDITIONAL_CONNECTION_LIMITS =
            named("additional_connection_limits", raw -> integerValue(raw, 1, 1_000_000));
    /** Provider blocks only: connections from one source to every site the provider matches. */
    public static final ShapingKey<Integer> PROVIDER_CONNECTION_LIMIT = integer("provider_connection_limit", 1, 1_000_000);
    /** Provider blocks only: messages from one source to every site the provider matches. */
    public static final ShapingKey<ThrottleSpec> PROVIDER_MAX_MESSAGE_RATE = throttle("provider_max_message_rate");

    /** Every key a block may set, by name. */
    public static final Map<String, ShapingKey<?>> ALL = index(CONNECTION_LIMIT, MAX_CONNECTION_RATE, MAX_MESSAGE_RATE,
            MAX_DELIVERIES_PER_CONNECTION, MAX_READY, IDLE_TIMEOUT, ENABLE_TLS, ENABLE_CHUNKING, SMTP_PORT, EHLO_DOMAIN, CONNECT_TIMEOUT,
            BANNER_TIMEOUT, EHLO_TIMEOUT, STARTTLS_TIMEOUT, MAIL_FROM_TIMEOUT, RCPT_TO_TIMEOUT, DATA_TIMEOUT,
            DATA_DOT_TIMEOUT, RSET_TIMEOUT, CONNECTION_FAILURES_BEFORE_DELAY, MAX_RECIPIENTS_PER_BATCH, RETRY_INTERVAL,
            MAX_RETRY_INTERVAL, MAX_AGE, ADDITIONAL_MESSAGE_RATE_THROTTLES, ADDITIONAL_CONNECTION_LIMITS,
            PROVIDER_CONNECTION_LIMIT, PROVIDER_MAX_MESSAGE_RATE);

    /** KumoMTA egress-path keys Runnel does not apply: accepted with a warning so KumoMTA files load. */
    public static final Set<String> NOT_APPLIED = Set.of("enable_dane", "enable_mta_sts", "tls_prefer_openssl",
            "openssl_cipher_list", "openssl_cipher_suites", "openssl_options", "rustls_cipher_suites",
            "allow_smtp_auth_plaintext", "smtp_auth_plain_username", "smtp_auth_plain_password", "enable_pipelining",
            "enable_rset", "aggressive_connection_opening", "prohibited_hosts", "skip_hosts", "reconnect_strategy",
            "use_lmtp", "remember_broken_tls", "opportunistic_tls_reconnect_on_failed_handshake", "suspended",
            "system_shutdown_timeout", "refresh_interval", "refresh_strategy", "dispatch_timeout",
            "try_next_host_on_transport_error", "auth_timeout", "source_selection_rate", "ignore_8bit_checks",
            "max_message_rate_per_connection", "high_water_mark", "low_water_mark");

    private ShapingKeys() {
    }

    public static Optional<ShapingKey<?>> named(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    private static Map<String, ShapingKey<?>> index(ShapingKey<?>... keys) {
        Map<String, ShapingKey<?>> all = new LinkedHashMap<>();
        for (ShapingKey<?> key : keys) {
            all.put(key.name(), key);
        }
        return Map.copyOf(all);
    }

    private static ShapingKey<Integer> integer(String name, int min, int max) {
        return new ShapingKey<>(name, raw -> integerValue(raw, min, max));
    }

    private static ShapingKey<ThrottleSpec> throttle(String name) {
        return new ShapingKey<>(name, ShapingKeys::throttleValue);
    }

    private static ShapingKey<Duration> duration(String name) {
        return new ShapingKey<>(name, ShapingKeys::durationValue);
    }

    private static <T> ShapingKey<Map<String, T>> named(String name, Function<Object, T> values) {
        return new ShapingKey<>(name, raw -> {
            if (!(raw instanceof TomlTable table)) {
                throw new IllegalArgumentException("expected a table of name = value, such as { \"my-limit\" = ... }");
            }
            Map<String, T> out = new LinkedHashMap<>();
            for (String key : table.keySet()) {
                try {
                    out.put(key, values.apply(table.get(java.util.List.of(key))));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("\"" + key + "\": " + e.getMessage(), e);
                }
            }
            return Map.copyOf(out);
        });
    }

    static int integerValue(Object raw, int min, int max) {
        long value;
        if (raw instanceof Long l) {
            value = l;
        } else if (raw instanceof String s && s.strip().matches("[0-9][0-9,_]*")) {
            value = Long.parseLong(s.strip().replace(",", "").replace("_", ""));
        } else {
            throw new IllegalArgumentException("expected an integer, got " + describe(raw));
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }

    static ThrottleSpec throttleValue(Object raw) {
        if (!(raw instanceof String s)) {
            throw new IllegalArgumentException("expected a rate such as \"100/s\" or \"5,000/h\", got " + describe(raw));
        }
        return ThrottleSpec.parse(s);
    }

    /** A duration string ({@code "60s"}, {@code "5m"}) or a number of seconds. */
    static Duration durationValue(Object raw) {
        Duration d;
        if (raw instanceof Long seconds) {
            d = Duration.ofSeconds(seconds);
        } else if (raw instanceof String s) {
            d = Durations.parse(s);
        } else {
            throw new IllegalArgumentException("expected a duration such as \"60s\", got " + describe(raw));
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be greater than 0");
        }
        return d;
    }

    private static boolean booleanValue(Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("expected true or false, got " + describe(raw));
    }

    private static EnableTls enableTls(Object raw) {
        if (raw instanceof String s) {
            String wanted = s.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
            for (EnableTls tls : EnableTls.values()) {
                if (tls.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
                    return tls;
                }
            }
        }
        throw new IllegalArgumentException("must be one of \"Opportunistic\", \"OpportunisticInsecure\", \"Required\","
                + " \"RequiredInsecure\", \"Disabled\", got " + describe(raw));
    }

    private static String hostName(Object raw) {
        if (raw instanceof String s && s.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")) {
            return s;
        }
        throw new IllegalArgumentException("expected a host name, got " + describe(raw));
    }

    private static String describe(Object raw) {
        return raw instanceof String s ? "\"" + s + "\"" : raw instanceof TomlTable ? "a table" : String.valueOf(raw);
    }
}
