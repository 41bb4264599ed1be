package io.runnel.kernel.shaping;

import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.DeliveryConfig.EnableTls;
import io.runnel.kernel.config.EgressLimits;
import io.runnel.kernel.smtp.client.ClientTimeouts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that shapes one egress path (one source to one site): the {@code [delivery]} limits with the shaping
 * blocks that apply laid over them.
 *
 * @param limits                        the knobs tenant rules may override too
 * @param tls                           STARTTLS use
 * @param chunking                      whether messages go as one pipelined BDAT where the MX offers CHUNKING
 * @param smtpPort                      the port of the site's MX hosts (routes carry their own)
 * @param ehloDomain                    the EHLO name, when not the egress source's
 * @param timeouts                      per SMTP phase
 * @param idleTimeout                   how long an open connection waits for more mail before QUIT
 * @param connectionFailuresBeforeDelay connections in a row that may fail before the waiting mail is deferred
 * @param maxRecipientsPerBatch         recipients in one transaction; the rest go in the next
 * @param sharedMessageRates            throttles shared with other paths, by name ({@code additional_message_rate_throttles},
 *                                      the provider's {@code provider_max_message_rate})
 * @param sharedConnectionLimits        connection limits shared with other paths, by name
 *                                      ({@code additional_connection_limits}, {@code provider_connection_limit})
 */
public record EgressPath(EgressLimits limits, EnableTls tls, boolean chunking, int smtpPort, Optional<String> ehloDomain,
                         ClientTimeouts timeouts, Duration idleTimeout, int connectionFailuresBeforeDelay,
                         int maxRecipientsPerBatch, Map<String, ThrottleSpec> sharedMessageRates,
                         Map<String, Integer> sharedConnectionLimits) {

    /** Recipients per transaction unless shaping says otherwise (KumoMTA's default too). */
    public static final int DEFAULT_RECIPIENTS_PER_BATCH = 100;

    public EgressPath {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(ehloDomain, "ehloDomain");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        sharedMessageRates = Map.copyOf(sharedMessageRates);
        sharedConnectionLimits = Map.copyOf(sharedConnectionLimits);
        if (connectionFailuresBeforeDelay < 1 || maxRecipientsPerBatch < 1) {
            throw new IllegalArgumentException("connection failures before delay and recipients per batch must be positive");
        }
    }

    /** The {@code [delivery]} limits alone. */
    public static EgressPath of(DeliveryConfig.Limits base) {
        Duration command = base.commandTimeout();
        return new EgressPath(EgressLimits.of(base), base.tls(), true, base.smtpPort(), Optional.empty(),
                new ClientTimeouts(base.connectTimeout(), command, command, command, command, command, command,
                        base.dataTimeout(), command),
                base.idleTimeout(), 1, DEFAULT_RECIPIENTS_PER_BATCH, Map.of(), Map.of());
    }

    /**
     * This path with {@code settings} on top, key by key.
     *
     * @param provider the provider block that matched, whose provider-wide limits are shared per source
     */
    public EgressPath with(PathSettings settings, Optional<String> provider, String source) {
        if (settings.isEmpty()) {
            return this;
        }
        EgressLimits shapedLimits = new EgressLimits(
                settings.get(ShapingKeys.CONNECTION_LIMIT, limits.connectionLimit()),
                settings.get(ShapingKeys.MAX_DELIVERIES_PER_CONNECTION, limits.maxDeliveriesPerConnection()),
                settings.get(ShapingKeys.MAX_READY, limits.maxReady()),
                settings.get(ShapingKeys.MAX_MESSAGE_RATE).or(limits::maxMessageRate),
                settings.get(ShapingKeys.MAX_CONNECTION_RATE).or(limits::maxConnectionRate));
        ClientTimeouts shapedTimeouts = new ClientTimeouts(
                settings.get(ShapingKeys.CONNECT_TIMEOUT, timeouts.connect()),
                settings.get(ShapingKeys.BANNER_TIMEOUT, timeouts.banner()),
                settings.get(ShapingKeys.EHLO_TIMEOUT, timeouts.ehlo()),
                settings.get(ShapingKeys.STARTTLS_TIMEOUT, timeouts.startTls()),
                settings.get(ShapingKeys.MAIL_FROM_TIMEOUT, timeouts.mail()),
                settings.get(ShapingKeys.RCPT_TO_TIMEOUT, timeouts.rcpt()),
                settings.get(ShapingKeys.DATA_TIMEOUT, timeouts.data()),
                settings.get(ShapingKeys.DATA_DOT_TIMEOUT, timeouts.dataDot()),
                settings.get(ShapingKeys.RSET_TIMEOUT, timeouts.rset()));
        Map<String, ThrottleSpec> rates = new LinkedHashMap<>(settings.get(ShapingKeys.ADDITIONAL_MESSAGE_RATE_THROTTLES, sharedMessageRates));
        Map<String, Integer> connections = new LinkedHashMap<>(settings.get(ShapingKeys.ADDITIONAL_CONNECTION_LIMITS, sharedConnectionLimits));
        provider.ifPresent(name -> {
            settings.get(ShapingKeys.PROVIDER_MAX_MESSAGE_RATE).ifPresent(rate -> rates.put(providerKey(name, source), rate));
            settings.get(ShapingKeys.PROVIDER_CONNECTION_LIMIT).ifPresent(limit -> connections.put(providerKey(name, source), limit));
        });
        return new EgressPath(shapedLimits, settings.get(ShapingKeys.ENABLE_TLS, tls),
                settings.get(ShapingKeys.ENABLE_CHUNKING, chunking), settings.get(ShapingKeys.SMTP_PORT, smtpPort),
                settings.get(ShapingKeys.EHLO_DOMAIN).or(() -> ehloDomain),
                shapedTimeouts, settings.get(ShapingKeys.IDLE_TIMEOUT, idleTimeout),
                settings.get(ShapingKeys.CONNECTION_FAILURES_BEFORE_DELAY, connectionFailuresBeforeDelay),
                settings.get(ShapingKeys.MAX_RECIPIENTS_PER_BATCH, maxRecipientsPerBatch), rates, connections);
    }

    /** The name of a provider-wide limit: one per provider and egress source. */
    static String providerKey(String provider, String source) {
        return "provider:" + provider + ":" + source;
    }

    public EgressPath withLimits(EgressLimits replaced) {
        return new EgressPath(replaced, tls, chunking, smtpPort, ehloDomain, timeouts, idleTimeout, connectionFailuresBeforeDelay,
                maxRecipientsPerBatch, sharedMessageRates, sharedConnectionLimits);
    }

    /** The path's limits in {@code [delivery]} form, as tenant rules' egress phase takes them. */
    public DeliveryConfig.Limits asDeliveryLimits() {
        return new DeliveryConfig.Limits(limits.connectionLimit(), limits.maxDeliveriesPerConnection(), limits.maxReady(),
                tls, smtpPort, timeouts.connect(), timeouts.mail(), timeouts.dataDot(), idleTimeout,
                limits.maxMessageRate(), limits.maxConnectionRate());
    }
}
