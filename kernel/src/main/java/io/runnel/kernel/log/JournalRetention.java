package io.runnel.kernel.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes journal segments that every sink has shipped: closed segments older than {@code retention}, and, while
 * the journal is bigger than {@code maxSize}, the oldest shipped ones even before that. A segment a sink still has
 * to read is never deleted: a journal over the bound because of a stalled sink is warned about and counted, and
 * grows. Every cursor file counts, including those of sinks not running now; deleting a cursor file releases what
 * it held. The newest segment, the one being written, is never deleted.
 */
final class JournalRetention {

    private static final Logger log = LoggerFactory.getLogger(JournalRetention.class);

    private final JournalFolder folder;
    private final CursorStore cursors;
    private final Duration retention;
    private final long maxSize;
    private final Clock clock;
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong overLimit = new AtomicLong();
    private volatile RetentionStats last = new RetentionStats(0, 0, 0, 0);

    JournalRetention(JournalFolder folder, CursorStore cursors, Duration retention, long maxSize, Clock clock) {
        this.folder = folder;
        this.cursors = cursors;
        this.retention = retention;
        this.maxSize = maxSize;
        this.clock = clock;
    }

    RetentionStats stats() {
        return last;
    }

    /** One pass; called periodically from one thread. */
    void run() throws IOException {
        List<JournalFolder.Segment> segments = folder.segments();
        Collection<JournalPosition> positions = cursors.all().values();
        String oldestCursor = positions.stream().map(JournalPosition::segment).min(String::compareTo).orElse(null);
        long total = segments.stream().mapToLong(JournalFolder.Segment::size).sum();
        int left = segments.size();
        boolean over = false;
        for (int i = 0; i < segments.size() - 1; i++) { // never the newest
            JournalFolder.Segment s = segments.get(i);
            boolean shipped = oldestCursor == null || oldestCursor.compareTo(s.name()) > 0;
            boolean old = !s.modified().plus(retention).isAfter(clock.instant());
            if (shipped && (old || total > maxSize)) {
                delete(s);
                total -= s.size();
                left--;
                continue;
            }
            // segments are in order: what is younger is neither older nor further shipped than this one
            over = !shipped && total > maxSize;
            break;
        }
        if (over) {
            long times = overLimit.incrementAndGet();
            log.atWarn().log("delivery log journal is {} bytes, over max_size {}, because a log sink has not shipped "
                    + "its oldest records (cursors: {}); nothing unshipped is deleted ({} times so far)",
                    total, maxSize, cursors.all(), times);
        }
        last = new RetentionStats(total, left, deleted.get(), overLimit.get());
    }

    private void delete(JournalFolder.Segment s) throws IOException {
        try {
            Files.delete(folder.file(s.name()));
            deleted.incrementAndGet();
            log.atInfo().log("deleted shipped journal segment {} ({} bytes)", s.name(), s.size());
        } catch (NoSuchFileException gone) {
            // the operator was quicker
        }
    }
}
