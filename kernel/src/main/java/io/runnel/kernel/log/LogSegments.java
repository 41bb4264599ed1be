package io.runnel.kernel.log;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The log folder as a series of segment files named by start time, {@code 20261128T170000Z-0000.jsonl}: names sort
 * in write order, and a closed segment is never written again, so shippers may take any file but the newest.
 * Used by one thread only.
 */
final class LogSegments implements AutoCloseable {

    private static final DateTimeFormatter NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path folder;
    private final long maxSize;
    private final Duration maxAge;
    private final Clock clock;
    private OutputStream out;
    private Instant openedAt;
    private long written;

    LogSegments(Path folder, long maxSize, Duration maxAge, Clock clock) {
        this.folder = folder;
        this.maxSize = maxSize;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Appends one line, first rolling to a new segment when the line would overflow it or it has grown old. */
    void write(byte[] line) throws IOException {
        Instant now = clock.instant();
        if (out != null && ((written > 0 && written + line.length > maxSize) || !now.isBefore(openedAt.plus(maxAge)))) {
            close();
        }
        if (out == null) {
            open(now);
        }
        out.write(line);
        written += line.length;
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Closes the current segment; the next write opens a new one. */
    @Override
    public void close() throws IOException {
        if (out != null) {
            OutputStream closing = out;
            out = null;
            closing.close();
        }
    }

    private void open(Instant now) throws IOException {
        Files.createDirectories(folder);
        String stamp = NAME.format(now);
        for (int n = 0; n < 10_000; n++) {
            Path file = folder.resolve(String.format("%s-%04d.jsonl", stamp, n));
            try {
                Files.createFile(file); // atomic: never appends to a segment someone else (or a previous run) wrote
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            // FileOutputStream, not a FileChannel stream: an interrupt must not close the log under us
            out = new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024);
            openedAt = now;
            written = 0;
            return;
        }
        throw new IOException("no free segment name for " + stamp + " in " + folder);
    }
}
