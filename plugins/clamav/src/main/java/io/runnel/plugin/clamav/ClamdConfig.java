package io.runnel.plugin.clamav;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import java.time.Duration;

/**
 * {@code [plugins.clamav]}: where clamd listens, the deadline of one call, the largest message sent (clamd's
 * {@code StreamMaxLength}; larger ones are reported unscannable without being sent) and the INSTREAM chunk size.
 */
record ClamdConfig(String host, int port, Duration timeout, long streamMaxLength, int chunkSize) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 3310;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final long DEFAULT_STREAM_MAX_LENGTH = 25_000_000L;
    static final int DEFAULT_CHUNK_SIZE = 65_536;
    /** clamd reads each chunk into memory; a chunk beyond this is a typo, not a tuning. */
    static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;

    static ClamdConfig read(ConfigSection config) throws PluginConfigException {
        String host = config.string("host").orElse(DEFAULT_HOST);
        long port = config.integer("port").orElse((long) DEFAULT_PORT);
        Duration timeout = config.duration("timeout").orElse(DEFAULT_TIMEOUT);
        long streamMaxLength = config.integer("stream_max_length").orElse(DEFAULT_STREAM_MAX_LENGTH);
        long chunkSize = config.integer("chunk_size").orElse((long) DEFAULT_CHUNK_SIZE);
        config.rejectUnknownKeys();

        if (host.isBlank()) {
            throw config.error("host", "must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw config.error("port", port + " is not a TCP port (1..65535)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw config.error("timeout", "must be positive, not " + timeout);
        }
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw config.error("timeout", "too long: " + timeout);
        }
        if (streamMaxLength < 1) {
            throw config.error("stream_max_length", "must be positive, not " + streamMaxLength);
        }
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw config.error("chunk_size", chunkSize + " is outside 1.." + MAX_CHUNK_SIZE);
        }
        return new ClamdConfig(host, (int) port, timeout, streamMaxLength, (int) chunkSize);
    }
}
