package io.runnel.plugin.filesink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sink folder's retention: closed segments (any file of the sink but the ones being written) older than
 * {@code retention} are deleted, then the oldest closed ones while the folder is bigger than {@code maxSize}. This
 * is the archive's own retention, chosen by the operator: unlike the kernel's journal it deletes records.
 */
final class ArchiveRetention {

    private record Entry(Path file, long size, Instant modified) {
    }

    private final FileSinkConfig config;
    private final Clock clock;

    ArchiveRetention(FileSinkConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** One pass over the folder; {@code open} are the segments being written, never deleted. */
    void run(Set<Path> open) throws IOException {
        if (!Files.isDirectory(config.path())) {
            return;
        }
        List<Entry> closed = new ArrayList<>();
        long total = 0;
        try (Stream<Path> files = Files.walk(config.path())) {
            for (Path file : files.filter(ArchiveRetention::isSegment).toList()) {
                try {
                    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                    total += a.size();
                    if (!open.contains(file)) {
                        closed.add(new Entry(file, a.size(), a.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException gone) {
                    // deleted while we walked
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        closed.sort(Comparator.comparing(Entry::modified).thenComparing(e -> e.file().getFileName().toString()));
        Instant cutoff = clock.instant().minus(config.retention());
        for (Entry e : closed) {
            if (e.modified().isAfter(cutoff) && total <= config.maxSize()) {
                break;
            }
            Files.deleteIfExists(e.file());
            total -= e.size();
        }
    }

    private static boolean isSegment(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file)
                && (name.endsWith(SegmentFolder.SUFFIX) || name.endsWith(SegmentFolder.SUFFIX + Compressor.SUFFIX));
    }
}
