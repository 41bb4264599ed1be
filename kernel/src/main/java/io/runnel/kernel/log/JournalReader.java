package io.runnel.kernel.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal line by line from a position on, for one sink: only complete lines, so it can tail the
 * segment being written; at the end of a segment it moves to the next one only once a newer segment exists
 * (the writer never writes a segment again after it opened a newer one). Used by one thread.
 */
final class JournalReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JournalReader.class);
    private static final int INITIAL_BUFFER = 1 << 20;
    /** A record is a few hundred bytes; a "line" longer than this is not one, and is skipped. */
    private static final int MAX_LINE = 64 << 20;

    /** Lines read and the position right after the last of them. */
    record Chunk(List<String> lines, JournalPosition end) {
    }

    private final JournalFolder folder;
    private final String sinkId;
    private JournalPosition position;
    private FileChannel channel;
    /** Bytes of the current segment from {@code position.offset()} on, already read: buffer[start, end). */
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    private long skipped;

    JournalReader(JournalFolder folder, String sinkId, JournalPosition from) {
        this.folder = folder;
        this.sinkId = sinkId;
        this.position = from;
    }

    JournalPosition position() {
        return position;
    }

    /** Partial lines left at the end of closed segments (a crash while writing) and over-long lines, so far. */
    long skipped() {
        return skipped;
    }

    /**
     * Up to {@code max} complete lines from the current position on, moving the position past them; an empty
     * chunk when the reader has caught up with the writer.
     */
    Chunk read(int max) throws IOException {
        List<String> lines = new ArrayList<>(Math.min(max, 1024));
        while (true) {
            takeLines(lines, max);
            if (lines.size() == max) {
                return new Chunk(lines, position);
            }
            if (channel == null && !open()) {
                return new Chunk(lines, position);
            }
            if (fill() > 0) {
                continue;
            }
            if (!lines.isEmpty()) {
                return new Chunk(lines, position);
            }
            if (!nextSegment()) {
                return new Chunk(lines, position);
            }
        }
    }

    /** Moves complete lines from the buffer into {@code lines}. */
    private void takeLines(List<String> lines, int max) {
        while (lines.size() < max) {
            int newline = indexOf((byte) '\n', start, end);
            if (newline < 0) {
                return;
            }
            lines.add(new String(buffer, start, newline - start, StandardCharsets.UTF_8));
            advance(newline + 1 - start);
        }
    }

    private void advance(int bytes) {
        start += bytes;
        position = new JournalPosition(position.segment(), position.offset() + bytes);
    }

    /** Opens the position's segment, or the first one after it; false when there is none. */
    private boolean open() throws IOException {
        while (true) {
            if (!position.segment().isEmpty()) {
                try {
                    channel = FileChannel.open(folder.file(position.segment()), StandardOpenOption.READ);
                    start = 0;
                    end = 0;
                    return true;
                } catch (NoSuchFileException gone) {
                    log.atWarn().addKeyValue("sink", sinkId)
                            .log("journal segment {} is gone; going on with the next one", position.segment());
                }
            }
            Optional<String> next = folder.after(position.segment());
            if (next.isEmpty()) {
                return false;
            }
            position = new JournalPosition(next.get(), 0);
        }
    }

    /** Reads more of the current segment after the buffered bytes; the number of bytes read (0 at its end). */
    private int fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            if (buffer.length >= MAX_LINE) {
                skipLongLine();
                return 1;
            }
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = channel.read(ByteBuffer.wrap(buffer, end, buffer.length - end), position.offset() + end);
        if (n <= 0) {
            return 0;
        }
        end += n;
        return n;
    }

    /** The buffer is full of one line that never ends: not a record. Drop it up to the next newline. */
    private void skipLongLine() {
        skipped++;
        log.atWarn().addKeyValue("sink", sinkId).log("skipping a journal line longer than {} bytes in {} at {}",
                MAX_LINE, position.segment(), position.offset());
        advance(end - start);
        start = 0;
        end = 0;
    }

    /**
     * At the end of the current segment: moves to the next one if the writer has opened a newer one, after
     * reading what the writer put in this one before it did. False while this is the newest.
     */
    private boolean nextSegment() throws IOException {
        Optional<String> next = folder.after(position.segment());
        if (next.isEmpty()) {
            return false;
        }
        if (fill() > 0) { // written between our last read and the newer segment's creation
            return true;
        }
        long size = channel.size();
        if (end > start) {
            skipped++;
            log.atWarn().addKeyValue("sink", sinkId).log("journal segment {} ends in an incomplete line at {}; skipped",
                    position.segment(), position.offset());
        } else if (position.offset() > size) {
            log.atWarn().addKeyValue("sink", sinkId).log("journal segment {} is shorter ({}) than this sink's cursor "
                    + "({}): lost in a crash before it reached the disk", position.segment(), size, position.offset());
        }
        closeChannel();
        position = new JournalPosition(next.get(), 0);
        return true;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            FileChannel closing = channel;
            channel = null;
            start = 0;
            end = 0;
            closing.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
