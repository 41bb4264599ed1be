package io.runnel.kernel.rules;

import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.EgressLimits;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.util.Optional;

/**
 * The delegate of an {@code egress { ... }} rule, run when a ready queue (one egress source, one destination site)
 * is set up, and again after a reload: it may change that queue's delivery limits. A site is the sorted set of
 * the MX hosts of a domain, so every domain a provider hosts shares the limits; {@link #getDomain} is the domain
 * whose message opened the queue.
 */
public final class EgressRule {

    private final String domain;
    private final String site;
    private final String source;
    private final String pool;
    private int connectionLimit;
    private int maxDeliveriesPerConnection;
    private int maxReady;
    private Optional<ThrottleSpec> maxMessageRate;
    private Optional<ThrottleSpec> maxConnectionRate;

    EgressRule(String domain, String site, String source, String pool, DeliveryConfig.Limits limits) {
        this.domain = domain;
        this.site = site;
        this.source = source;
        this.pool = pool;
        this.connectionLimit = limits.connectionLimit();
        this.maxDeliveriesPerConnection = limits.maxDeliveriesPerConnection();
        this.maxReady = limits.maxReady();
        this.maxMessageRate = limits.maxMessageRate();
        this.maxConnectionRate = limits.maxConnectionRate();
    }

    public String getDomain() {
        return domain;
    }

    /** The site: the domain's MX host names, sorted, joined with commas (or the route's hosts). */
    public String getSite() {
        return site;
    }

    /** The egress source's name. */
    public String getSource() {
        return source;
    }

    /** The egress pool's name. */
    public String getPool() {
        return pool;
    }

    public int getConnectionLimit() {
        return connectionLimit;
    }

    public int getMaxDeliveriesPerConnection() {
        return maxDeliveriesPerConnection;
    }

    public int getMaxReady() {
        return maxReady;
    }

    /** Concurrent connections from this source to this site. */
    public void connectionLimit(int limit) {
        connectionLimit = positive("connectionLimit", limit);
    }

    /** Messages sent over one connection before it is closed. */
    public void maxDeliveriesPerConnection(int limit) {
        maxDeliveriesPerConnection = positive("maxDeliveriesPerConnection", limit);
    }

    /** Messages waiting in the ready queue; more go back to their scheduled queue for a few seconds. */
    public void maxReady(int limit) {
        maxReady = positive("maxReady", limit);
    }

    /** Messages handed to this queue's connections, at most, as a throttle spec ({@code "20/s"}); null lifts it. */
    public void maxMessageRate(String spec) {
        maxMessageRate = Optional.ofNullable(spec).map(ThrottleSpec::parse);
    }

    /** Connections opened for this queue, at most, as a throttle spec ({@code "5/min"}); null lifts it. */
    public void maxConnectionRate(String spec) {
        maxConnectionRate = Optional.ofNullable(spec).map(ThrottleSpec::parse);
    }

    public String getMaxMessageRate() {
        return maxMessageRate.map(ThrottleSpec::toString).orElse(null);
    }

    public String getMaxConnectionRate() {
        return maxConnectionRate.map(ThrottleSpec::toString).orElse(null);
    }

    private static int positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
        return value;
    }

    EgressLimits limits() {
        return new EgressLimits(connectionLimit, maxDeliveriesPerConnection, maxReady, maxMessageRate, maxConnectionRate);
    }
}
