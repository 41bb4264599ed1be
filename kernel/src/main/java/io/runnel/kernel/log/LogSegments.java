package io.runnel.kernel.log;

import java.io.FileOutputStream;
import java.io.IOException;
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
 *
 * <p>Lines wait in a buffer of this object's own until {@link #flush} or a full buffer hands them to the OS. A write
 * that fails (disk full) keeps what did not reach the file and the next flush writes it: the file never loses or
 * repeats a byte, and a line cut short by a full disk is completed later (readers take complete lines only). A
 * segment is closed only once its buffer is written, so a closed segment never ends in a partial line.
 */
final class LogSegments implements AutoCloseable {

    private static final DateTimeFormatter NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int BUFFER = 64 * 1024;

    private final Path folder;
    private final long maxSize;
    private final Duration maxAge;
    private final Clock clock;
    private Path file;
    private FileOutputStream out;
    private Instant openedAt;
    /** Bytes of the segment, buffered ones included. */
    private long written;
    /** Bytes of the segment in the file. */
    private long inFile;
    private byte[] buffer = new byte[BUFFER];
    private int pendingFrom;
    private int pendingTo;

    LogSegments(Path folder, long maxSize, Duration maxAge, Clock clock) {
        this.folder = folder;
        this.maxSize = maxSize;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * Appends one line, first rolling to a new segment when the line would overflow it or it has grown old. Either
     * the line is taken (buffered or written) or an IOException says it was not: call again with the same line.
     */
    void write(byte[] line) throws IOException {
        Instant now = clock.instant();
        if (out != null && ((written > 0 && written + line.length > maxSize) || !now.isBefore(openedAt.plus(maxAge)))) {
            close();
        }
        if (out == null) {
            open(now);
        }
        if (pendingTo - pendingFrom + line.length > BUFFER) {
            writePending();
        }
        buffer(line);
        written += line.length;
    }

    /** Hands every buffered line to the OS; on failure what was not written stays buffered for the next call. */
    void flush() throws IOException {
        writePending();
    }

    /** Closes the current segment once its buffer is written; the next write opens a new one. */
    @Override
    public void close() throws IOException {
        if (out != null) {
            writePending(); // throws before closing: the segment stays open and complete lines are kept
            FileOutputStream closing = out;
            out = null;
            closing.close();
        }
    }

    private void buffer(byte[] line) {
        if (pendingTo + line.length > buffer.length) {
            int pending = pendingTo - pendingFrom;
            byte[] target = pending + line.length > buffer.length
                    ? new byte[Math.max(BUFFER, pending + line.length)] : buffer;
            System.arraycopy(buffer, pendingFrom, target, 0, pending);
            buffer = target;
            pendingFrom = 0;
            pendingTo = pending;
        }
        System.arraycopy(line, 0, buffer, pendingTo, line.length);
        pendingTo += line.length;
    }

    private void writePending() throws IOException {
        if (pendingTo == pendingFrom) {
            return;
        }
        int length = pendingTo - pendingFrom;
        try {
            out.write(buffer, pendingFrom, length);
        } catch (IOException e) {
            // a full disk takes part of a write and refuses the rest: keep exactly the part the file lacks
            long landed = Math.min(length, Math.max(0, Files.size(file) - inFile));
            pendingFrom += (int) landed;
            inFile += landed;
            throw e;
        }
        inFile += length;
        pendingFrom = 0;
        pendingTo = 0;
        if (buffer.length > BUFFER) {
            buffer = new byte[BUFFER]; // one huge line does not keep a huge buffer
        }
    }

    private void open(Instant now) throws IOException {
        Files.createDirectories(folder);
        String stamp = NAME.format(now);
        for (int n = 0; n < 10_000; n++) {
            Path candidate = folder.resolve(String.format("%s-%04d.jsonl", stamp, n));
            try {
                Files.createFile(candidate); // atomic: never appends to a segment someone else (or a previous run) wrote
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            // FileOutputStream, not a FileChannel stream: an interrupt must not close the log under us
            out = new FileOutputStream(candidate.toFile(), true);
            file = candidate;
            openedAt = now;
            written = 0;
            inFile = 0;
            return;
        }
        throw new IOException("no free segment name for " + stamp + " in " + folder);
    }
}
