package io.runnel.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalReaderTest {

    @TempDir
    Path folder;

    private final JournalFolder journal() {
        return new JournalFolder(folder);
    }

    private void append(String segment, String text) throws IOException {
        Files.writeString(folder.resolve(segment), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void readsOnlyCompleteLinesOfTheSegmentBeingWritten() throws IOException {
        append("20261128T170000Z-0000.jsonl", "{\"n\":1}\n{\"n\":2}\n{\"n\":");
        try (JournalReader reader = new JournalReader(journal(), "t", JournalPosition.START)) {
            JournalReader.Chunk first = reader.read(10);
            assertThat(first.lines()).containsExactly("{\"n\":1}", "{\"n\":2}");
            assertThat(first.end()).isEqualTo(new JournalPosition("20261128T170000Z-0000.jsonl", 16));
            assertThat(reader.read(10).lines()).isEmpty();

            append("20261128T170000Z-0000.jsonl", "3}\n");
            assertThat(reader.read(10).lines()).containsExactly("{\"n\":3}");
        }
    }

    @Test
    void movesToTheNextSegmentOnlyOnceItExistsAndAfterTheRestOfTheClosedOne() throws IOException {
        append("20261128T170000Z-0000.jsonl", "a\n");
        try (JournalReader reader = new JournalReader(journal(), "t", JournalPosition.START)) {
            assertThat(reader.read(10).lines()).containsExactly("a");
            assertThat(reader.read(10).lines()).isEmpty();
            append("20261128T170000Z-0000.jsonl", "b\n"); // the writer's last flush before it rolled
            append("20261128T180000Z-0000.jsonl", "c\nd\n");
            assertThat(reader.read(10).lines()).containsExactly("b");
            assertThat(reader.read(10).lines()).containsExactly("c", "d");
            assertThat(reader.position()).isEqualTo(new JournalPosition("20261128T180000Z-0000.jsonl", 4));
        }
    }

    @Test
    void resumesFromAPositionAndEndsABatchAtTheLimitOrTheSegmentsEnd() throws IOException {
        append("20261128T170000Z-0000.jsonl", "a\nb\nc\nd\n");
        append("20261128T180000Z-0000.jsonl", "e\nf\n");
        try (JournalReader reader = new JournalReader(journal(), "t", new JournalPosition("20261128T170000Z-0000.jsonl", 2))) {
            assertThat(reader.read(2).lines()).containsExactly("b", "c");
            assertThat(reader.read(2).lines()).containsExactly("d");
            assertThat(reader.read(2).lines()).containsExactly("e", "f");
        }
    }

    @Test
    void skipsAnIncompleteLineAtTheEndOfAClosedSegmentAndCountsIt() throws IOException {
        append("20261128T170000Z-0000.jsonl", "a\nbro");
        append("20261128T180000Z-0000.jsonl", "c\n");
        try (JournalReader reader = new JournalReader(journal(), "t", JournalPosition.START)) {
            assertThat(reader.read(10).lines()).containsExactly("a");
            assertThat(reader.read(10).lines()).containsExactly("c");
            assertThat(reader.skipped()).isEqualTo(1);
        }
    }

    @Test
    void aCursorPastTheEndOfASegmentCutShortByACrashGoesOnWithTheNext() throws IOException {
        append("20261128T170000Z-0000.jsonl", "a\n");
        append("20261128T180000Z-0000.jsonl", "b\n");
        try (JournalReader reader = new JournalReader(journal(), "t", new JournalPosition("20261128T170000Z-0000.jsonl", 500))) {
            assertThat(reader.read(10).lines()).containsExactly("b");
        }
    }

    @Test
    void aCursorOnADeletedSegmentGoesOnWithTheNextOne() throws IOException {
        append("20261128T180000Z-0000.jsonl", "b\n");
        try (JournalReader reader = new JournalReader(journal(), "t", new JournalPosition("20261128T170000Z-0000.jsonl", 7))) {
            assertThat(reader.read(10).lines()).containsExactly("b");
        }
    }

    @Test
    void theEndOfTheJournalIsAfterTheLastCompleteLineOfTheNewestSegment() throws IOException {
        assertThat(journal().end()).isEqualTo(JournalPosition.START);
        append("20261128T170000Z-0000.jsonl", "a\nb\n");
        append("20261128T180000Z-0000.jsonl", "c\n" + "d".repeat(100_000) + "\npart");
        assertThat(journal().end()).isEqualTo(new JournalPosition("20261128T180000Z-0000.jsonl", 100_003));
        try (JournalReader reader = new JournalReader(journal(), "t", journal().end())) {
            append("20261128T180000Z-0000.jsonl", "ial\n");
            assertThat(reader.read(10).lines()).containsExactly("partial");
        }
    }

    @Test
    void linesLargerThanTheReadBufferComeThroughWhole() throws IOException {
        String big = "x".repeat(3 << 20);
        append("20261128T170000Z-0000.jsonl", "a\n" + big + "\nb\n");
        try (JournalReader reader = new JournalReader(journal(), "t", JournalPosition.START)) {
            assertThat(reader.read(10).lines()).containsExactly("a", big, "b");
        }
    }
}
