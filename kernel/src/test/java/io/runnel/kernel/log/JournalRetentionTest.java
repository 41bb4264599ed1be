package io.runnel.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRetentionTest {

    private static final String S1 = "20261120T000000Z-0000.jsonl";
    private static final String S2 = "20261121T000000Z-0000.jsonl";
    private static final String S3 = "20261122T000000Z-0000.jsonl";
    private static final String S4 = "20261128T000000Z-0000.jsonl";

    @TempDir
    Path folder;

    private final MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
    private CursorStore cursors;

    @BeforeEach
    void segments() throws IOException {
        cursors = new CursorStore(folder.resolve(".cursors"));
        segment(S1, "2026-11-20T01:00:00Z");
        segment(S2, "2026-11-21T01:00:00Z");
        segment(S3, "2026-11-22T01:00:00Z");
        segment(S4, "2026-11-28T01:00:00Z");
    }

    private void segment(String name, String closedAt) throws IOException {
        Path file = Files.write(folder.resolve(name), new byte[1000]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(closedAt)));
    }

    private JournalRetention retention(Duration keep, long maxSize) {
        return new JournalRetention(new JournalFolder(folder), cursors, keep, maxSize, clock);
    }

    private boolean exists(String name) {
        return Files.exists(folder.resolve(name));
    }

    @Test
    void deletesOldSegmentsOnlyOnceEverySinkIsPastThem() throws IOException {
        cursors.save("fast", new JournalPosition(S4, 10));
        cursors.save("slow", new JournalPosition(S2, 500));

        retention(Duration.ofDays(3), Long.MAX_VALUE).run();

        assertThat(exists(S1)).isFalse();
        assertThat(exists(S2)).as("old, but the slow sink is still in it").isTrue();
        assertThat(exists(S3)).isTrue();

        cursors.save("slow", new JournalPosition(S4, 0));
        JournalRetention retention = retention(Duration.ofDays(3), Long.MAX_VALUE);
        retention.run();
        assertThat(exists(S2)).isFalse();
        assertThat(exists(S3)).isFalse();
        assertThat(exists(S4)).as("the newest segment is never deleted").isTrue();
        assertThat(retention.stats()).isEqualTo(new RetentionStats(1000, 1, 2, 0));
    }

    @Test
    void youngSegmentsStayUntilTheyAreOldEvenWhenShipped() throws IOException {
        cursors.save("all", new JournalPosition(S4, 0));
        retention(Duration.ofDays(30), Long.MAX_VALUE).run();
        assertThat(exists(S1)).isTrue();
        clock.advance(Duration.ofDays(30));
        retention(Duration.ofDays(30), Long.MAX_VALUE).run();
        assertThat(exists(S1)).isFalse();
        assertThat(exists(S3)).isFalse();
    }

    @Test
    void overTheSizeBoundShippedSegmentsGoEarlyButUnshippedOnesStayAndAreCounted() throws IOException {
        cursors.save("sink", new JournalPosition(S2, 0));
        JournalRetention retention = retention(Duration.ofDays(365), 2500);

        retention.run();

        assertThat(exists(S1)).as("shipped, deleted early for the size bound").isFalse();
        assertThat(exists(S2)).as("not shipped: kept though the journal is over the bound").isTrue();
        assertThat(retention.stats()).isEqualTo(new RetentionStats(3000, 3, 1, 1));
    }

    @Test
    void aSinkThatNeverShippedHoldsTheWholeJournal() throws IOException {
        cursors.save("new", JournalPosition.START);
        retention(Duration.ofDays(1), Long.MAX_VALUE).run();
        assertThat(exists(S1)).isTrue();
    }

    @Test
    void withoutAnySinkOldSegmentsGo() throws IOException {
        retention(Duration.ofDays(3), Long.MAX_VALUE).run();
        assertThat(exists(S1)).isFalse();
        assertThat(exists(S3)).isFalse();
        assertThat(exists(S4)).isTrue();
    }
}
