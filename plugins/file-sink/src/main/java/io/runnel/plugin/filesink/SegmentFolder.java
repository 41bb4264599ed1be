package io.runnel.plugin.filesink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;

/**
 * One folder's segments: appends lines to the current {@code <start time>-NNNN.jsonl}, closing it (and handing it
 * to {@code closed}) before it would outgrow the size or once it is too old. The file is opened per batch, so
 * nothing stays open between calls. Segment names sort in write order.
 */
final class SegmentFolder {

    static final String SUFFIX = ".jsonl";
    private static final DateTimeFormatter NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path folder;
    private final FileSinkConfig config;
    private final Clock clock;
    private final Consumer<Path> closed;
    private Path current;
    private Instant openedAt;
    private long size;

    SegmentFolder(Path folder, FileSinkConfig config, Clock clock, Consumer<Path> closed) {
        this.folder = folder;
        this.config = config;
        this.clock = clock;
        this.closed = closed;
    }

    /** Appends {@code lines} in order, each followed by a newline, rolling segments as needed. */
    void append(List<String> lines) throws IOException {
        ByteArrayOutputStream pending = new ByteArrayOutputStream(lines.size() * 512);
        for (String line : lines) {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (current != null && ((size > 0 && size + bytes.length > config.segmentSize())
                    || !clock.instant().isBefore(openedAt.plus(config.segmentAge())))) {
                write(pending);
                close();
            }
            if (current == null) {
                open();
            }
            pending.write(bytes);
            size += bytes.length;
        }
        write(pending);
    }

    /** Closes the current segment, if any; the next append opens a new one. */
    void close() {
        if (current != null) {
            Path done = current;
            current = null;
            closed.accept(done);
        }
    }

    Path currentFile() {
        return current;
    }

    private void write(ByteArrayOutputStream pending) throws IOException {
        if (pending.size() == 0) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(pending.toByteArray());
        pending.reset();
        try (FileChannel out = FileChannel.open(current, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            if (config.fsync()) {
                out.force(false);
            }
        }
    }

    private void open() throws IOException {
        Files.createDirectories(folder);
        Instant now = clock.instant();
        String stamp = NAME.format(now);
        for (int n = 0; n < 100_000; n++) {
            Path file = folder.resolve(String.format("%s-%04d%s", stamp, n, SUFFIX));
            if (Files.exists(file.resolveSibling(file.getFileName() + Compressor.SUFFIX))) {
                continue;
            }
            try {
                Files.createFile(file); // never appends to a segment of an earlier run
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            current = file;
            openedAt = now;
            size = 0;
            return;
        }
        throw new IOException("no free segment name for " + stamp + " in " + folder);
    }
}
