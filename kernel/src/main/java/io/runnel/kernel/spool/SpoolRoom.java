package io.runnel.kernel.spool;

import io.runnel.kernel.config.SpoolConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the spool can take one more message, asked at MAIL FROM so a client hears 452 4.3.1 before it sends the
 * content (Postfix queue_minfree): the room left in the LMDB map and on the spool's file system must both exceed
 * the declared size plus {@code spool.min_free}. The two figures are measured at most every {@link #REFRESH_MILLIS}
 * (one short read transaction and one statvfs), so a busy listener costs no I/O per command. Best effort: the spool
 * write itself is what decides, and it too answers 452 4.3.1 when space runs out.
 */
@Singleton
public final class SpoolRoom {
    private static final Logger log = LoggerFactory.getLogger(SpoolRoom.class);

    static final long REFRESH_MILLIS = 500;

    private final LmdbSpool spool;
    private final SpoolConfig config;
    private final Clock clock;
    private volatile Room room; // null until first measured
    /** Looked up once (it reads the mount table); each measure is one statvfs on the spool folder. */
    private volatile FileStore store;

    /** Free bytes in the map and on the file system, as measured at {@code at} (epoch millis). */
    private record Room(long mapFree, long diskFree, long at) {
    }

    @Inject
    public SpoolRoom(LmdbSpool spool, SpoolConfig config, Clock clock) {
        this.spool = spool;
        this.config = config;
        this.clock = clock;
    }

    /** Whether a message of {@code size} bytes (0 when not declared) fits while keeping {@code min_free} free. */
    public boolean fits(long size) {
        Room now = current();
        long needed = size + config.minFree();
        return now.mapFree() >= needed && now.diskFree() >= needed;
    }

    private Room current() {
        Room last = room;
        long now = clock.millis();
        if (last != null && now >= last.at() && now - last.at() < REFRESH_MILLIS) {
            return last;
        }
        // two threads may measure at once; both results are right, the later one stays
        Room fresh = new Room(mapFree(), diskFree(), now);
        room = fresh;
        return fresh;
    }

    /** Not open (starting, stopping): no opinion, the write answers. */
    private long mapFree() {
        return spool.usage().map(SpoolUsage::freeBytes).orElse(Long.MAX_VALUE);
    }

    private long diskFree() {
        try {
            FileStore known = store;
            if (known == null) {
                known = Files.getFileStore(config.path());
                store = known;
            }
            return known.getUsableSpace();
        } catch (IOException e) {
            log.atDebug().setCause(e).log("cannot read the free space of the spool's file system");
            return Long.MAX_VALUE;
        }
    }
}
