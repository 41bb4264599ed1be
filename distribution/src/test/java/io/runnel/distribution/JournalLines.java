package io.runnel.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The daemon's journal as the tests read it: the lines of the JSONL segments in its log folder, segment by segment in
 * name (that is, time) order. A folder not made yet holds none.
 */
final class JournalLines {

    private JournalLines() {
    }

    /**
     * Every line; a segment ending inside a line fails the test (a stopped daemon, or one refused a write, leaves
     * whole records only).
     */
    static List<String> all(Path folder) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path segment : segments(folder)) {
            String text = Files.readString(segment, StandardCharsets.UTF_8);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                throw new AssertionError(segment + " ends inside a record: " + text.substring(text.lastIndexOf('\n') + 1));
            }
            lines.addAll(text.lines().toList());
        }
        return lines;
    }

    /**
     * The complete lines: a segment's unfinished last line, which a killed daemon leaves or a running one is writing,
     * is no record yet (the daemon's restart reads it the same way).
     */
    static List<String> complete(Path folder) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path segment : segments(folder)) {
            String text = Files.readString(segment, StandardCharsets.UTF_8);
            lines.addAll(text.substring(0, text.lastIndexOf('\n') + 1).lines().toList());
        }
        return lines;
    }

    private static List<Path> segments(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
