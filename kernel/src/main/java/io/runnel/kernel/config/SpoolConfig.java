package io.runnel.kernel.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code [spool]} section.
 *
 * @param path       folder of the LMDB environment
 * @param mapSize    LMDB map size in bytes: the most the spool can hold
 * @param sync       how commits reach the disk
 * @param maxBatch   most writes gathered into one transaction
 * @param maxReaders LMDB reader slots
 * @param minFree    room kept free, in the map and on the spool's file system: MAIL FROM is refused with 452 4.3.1
 *                   when less than this plus the declared SIZE is left (Postfix queue_minfree)
 */
public record SpoolConfig(Path path, long mapSize, SyncMode sync, int maxBatch, int maxReaders, long minFree) {

    /** The default min_free: a 32nd of the map, at most 64 MiB. */
    public static long defaultMinFree(long mapSize) {
        return Math.min(mapSize / 32, 64L << 20);
    }

    /** With the default {@code min_free}. */
    public SpoolConfig(Path path, long mapSize, SyncMode sync, int maxBatch, int maxReaders) {
        this(path, mapSize, sync, maxBatch, maxReaders, defaultMinFree(mapSize));
    }

    public SpoolConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sync, "sync");
        if (mapSize < 1024 * 1024) {
            throw new IllegalArgumentException("map_size must be at least 1MiB");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max_batch must be at least 1");
        }
        if (maxReaders < 1) {
            throw new IllegalArgumentException("max_readers must be at least 1");
        }
        if (minFree < 0 || minFree >= mapSize) {
            throw new IllegalArgumentException("min_free must be at least 0 and less than map_size");
        }
    }

    /** How a commit reaches the disk. */
    public enum SyncMode {
        /** fsync data and meta page on every commit: nothing acknowledged is lost, even on power failure. */
        FULL,
        /** fsync data, not the meta page (LMDB MDB_NOMETASYNC): a crash may lose the last commit, never corrupt. */
        NOMETASYNC,
        /** leave flushing to the OS (MDB_NOSYNC): survives a process crash, not a power failure. */
        NONE
    }
}
