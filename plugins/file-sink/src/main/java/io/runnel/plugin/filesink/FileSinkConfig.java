package io.runnel.plugin.filesink;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.plugin.PluginContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code [plugins.file-log]}.
 *
 * @param path             the sink's folder (relative paths against Runnel's home)
 * @param segmentSize      a segment is closed before it grows past this
 * @param segmentAge       a segment is closed once this old (checked when records arrive)
 * @param compress         closed segments are compressed with zstd to {@code .jsonl.zst}
 * @param compressionLevel zstd level, 1 (fast) to 19 (small)
 * @param retention        closed segments older than this are deleted
 * @param maxSize          closed segments are deleted oldest first while the folder is bigger than this
 * @param perTenant        one sub-folder per tenant ({@code _none} for records without a tenant)
 * @param fsync            fsync each batch before returning (default: flushed to the OS, as the journal is)
 */
record FileSinkConfig(Path path, long segmentSize, Duration segmentAge, boolean compress, int compressionLevel,
                      Duration retention, long maxSize, boolean perTenant, boolean fsync) {

    static FileSinkConfig read(PluginContext context) throws PluginConfigException {
        ConfigSection c = context.config();
        Path path = context.home().resolve(c.string("path").orElse("log-archive")).normalize();
        long segmentSize = size(c, "segment_size", 256L << 20);
        Duration segmentAge = positive(c, "segment_age", Duration.ofHours(1));
        boolean compress = c.bool("compress").orElse(true);
        long level = c.integer("compression_level").orElse(3L);
        if (level < 1 || level > 19) {
            throw c.error("compression_level", "must be between 1 and 19");
        }
        Duration retention = positive(c, "retention", Duration.ofDays(30));
        long maxSize = size(c, "max_size", 50L << 30);
        boolean perTenant = c.bool("per_tenant").orElse(false);
        boolean fsync = c.bool("fsync").orElse(false);
        if (segmentSize < 1024) {
            throw c.error("segment_size", "must be at least 1KiB");
        }
        c.rejectUnknownKeys();
        return new FileSinkConfig(path, segmentSize, segmentAge, compress, (int) level, retention, maxSize, perTenant,
                fsync);
    }

    private static long size(ConfigSection c, String key, long fallback) throws PluginConfigException {
        Optional<String> text;
        try {
            text = c.string(key);
        } catch (PluginConfigException notText) {
            return c.integer(key).orElse(fallback);
        }
        try {
            return text.map(Sizes::parse).orElse(fallback);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw c.error(key, e.getMessage());
        }
    }

    private static Duration positive(ConfigSection c, String key, Duration fallback) throws PluginConfigException {
        Duration d = c.duration(key).orElse(fallback);
        if (d.isZero() || d.isNegative()) {
            throw c.error(key, "must be greater than 0");
        }
        return d;
    }
}
