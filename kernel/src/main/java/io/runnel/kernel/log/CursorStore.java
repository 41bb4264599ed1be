package io.runnel.kernel.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Each sink's cursor, one small file per sink in {@code <log>/.cursors/}, holding {@code "<segment> <offset>"}.
 * A save writes a temp file, fsyncs it, renames it over the old one and fsyncs the folder, so after a crash the
 * file holds the old cursor or the new one, never a torn one. Safe for concurrent use by different sinks.
 */
final class CursorStore {

    private final Path folder;

    CursorStore(Path folder) {
        this.folder = folder;
    }

    Optional<JournalPosition> load(String sinkId) throws IOException {
        try {
            return Optional.of(parse(folder.resolve(fileName(sinkId))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void save(String sinkId, JournalPosition position) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(fileName(sinkId));
        Path temp = folder.resolve(fileName(sinkId) + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(StandardCharsets.US_ASCII.encode(position.format() + "\n"));
            out.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename cursors atomically in " + folder, e);
        }
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true); // the rename itself is durable only once the folder is synced
        }
    }

    /**
     * Every cursor on disk by file name, also those of sinks not running now: a sink that was only switched off
     * still holds its unshipped records against retention.
     */
    Map<String, JournalPosition> all() throws IOException {
        Map<String, JournalPosition> out = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".tmp")).sorted().toList()) {
                try {
                    out.put(file.getFileName().toString(), parse(file));
                } catch (NoSuchFileException gone) {
                    // removed by the operator while we listed
                }
            }
        }
        return out;
    }

    private static JournalPosition parse(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return JournalPosition.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad cursor file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sink ids come from plugin ids; anything but a plain file name character is replaced. */
    static String fileName(String sinkId) {
        return sinkId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
