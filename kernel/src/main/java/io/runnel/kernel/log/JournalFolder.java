package io.runnel.kernel.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The segment files of the journal folder as {@link LogSegments} writes them, oldest first. Only the newest may
 * still grow; every other segment is closed for good.
 */
final class JournalFolder {

    static final String SUFFIX = ".jsonl";

    /** One segment file as listed. */
    record Segment(String name, long size, Instant modified) {
    }

    private final Path path;

    JournalFolder(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    Path file(String segment) {
        return path.resolve(segment);
    }

    /** Every segment, oldest first; empty when the folder does not exist yet. */
    List<Segment> segments() throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        List<Segment> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path file : files.filter(JournalFolder::isSegment).sorted().toList()) {
                try {
                    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                    out.add(new Segment(file.getFileName().toString(), a.size(), a.lastModifiedTime().toInstant()));
                } catch (NoSuchFileException deleted) {
                    // retention removed it while we listed
                }
            }
        }
        return out;
    }

    /** The oldest segment whose name sorts after {@code segment}. */
    Optional<String> after(String segment) throws IOException {
        return segments().stream().map(Segment::name).filter(n -> n.compareTo(segment) > 0).findFirst();
    }

    /** Bytes from {@code position} to the end of the journal: what a reader there has still to read. */
    long bytesAfter(JournalPosition position) throws IOException {
        long lag = 0;
        for (Segment s : segments()) {
            int c = s.name().compareTo(position.segment());
            if (c > 0) {
                lag += s.size();
            } else if (c == 0) {
                lag += Math.max(0, s.size() - position.offset());
            }
        }
        return lag;
    }

    /** Just after the last complete line of the newest segment: where a sink that starts "now" begins. */
    JournalPosition end() throws IOException {
        List<Segment> all = segments();
        if (all.isEmpty()) {
            return JournalPosition.START;
        }
        String newest = all.get(all.size() - 1).name();
        try (FileChannel in = FileChannel.open(file(newest), StandardOpenOption.READ)) {
            ByteBuffer tail = ByteBuffer.allocate(64 * 1024);
            for (long to = in.size(); to > 0; to -= tail.capacity()) {
                long from = Math.max(0, to - tail.capacity());
                tail.clear().limit((int) (to - from));
                int read = 0;
                while (read >= 0 && tail.hasRemaining()) {
                    read = in.read(tail, from + tail.position());
                }
                for (int i = tail.position() - 1; i >= 0; i--) {
                    if (tail.get(i) == '\n') {
                        return new JournalPosition(newest, from + i + 1);
                    }
                }
            }
            return new JournalPosition(newest, 0);
        }
    }

    private static boolean isSegment(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(file);
    }
}
