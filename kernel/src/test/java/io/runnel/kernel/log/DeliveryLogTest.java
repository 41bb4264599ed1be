package io.runnel.kernel.log;

import io.runnel.kernel.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.kernel.config.LogConfig;
import io.runnel.kernel.spool.SpoolId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryLogTest {

    @TempDir
    Path home;

    private final MutableClock clock = MutableClock.at("2026-11-28T17:00:00Z");
    private final ObjectMapper mapper = new ObjectMapper();

    private DeliveryLog started(long segmentSize, Duration segmentAge) throws IOException {
        DeliveryLog log = new DeliveryLog(new LogConfig(home.resolve("log"), segmentSize, segmentAge), clock);
        log.start();
        return log;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("log"))) {
            return files.sorted().toList();
        }
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Path segment : segments()) {
            for (String line : Files.readAllLines(segment)) {
                out.add(mapper.readTree(line));
            }
        }
        return out;
    }

    private static LogRecord record(long thread, long n) {
        return LogRecordTest.bounce(new SpoolId(thread, n));
    }

    @Test
    void recordsAreWrittenAsOneJsonObjectPerLine() throws Exception {
        DeliveryLog log = started(64 << 20, Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(log.append(record(0, i))).isTrue();
        }
        log.stop(Duration.ofSeconds(10));

        assertThat(segments()).singleElement().satisfies(file ->
                assertThat(file.getFileName().toString()).isEqualTo("20261128T170000Z-0000.jsonl"));
        String text = Files.readString(segments().get(0));
        assertThat(text).endsWith("}\n").doesNotContain("\r");
        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(node -> node.get("id").asText())
                .containsExactly(new SpoolId(0, 0).toString(), new SpoolId(0, 1).toString(), new SpoolId(0, 2).toString());
        assertThat(lines.get(0).get("type").asText()).isEqualTo("Bounce");
        assertThat(lines.get(0).get("response").get("enhanced_code").get("class").asInt()).isEqualTo(5);
    }

    @Test
    void recordsReachTheFileWithoutAStop() throws Exception {
        DeliveryLog log = started(64 << 20, Duration.ofHours(1));
        log.append(record(0, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> !segments().isEmpty() && lines().size() == 1);
        log.stop(Duration.ofSeconds(10));
    }

    @Test
    void whenWrittenCompletesOnlyOnceEveryEarlierRecordIsInTheFile() throws Exception {
        DeliveryLog log = started(64 << 20, Duration.ofHours(1));
        for (int i = 0; i < 5_000; i++) {
            log.append(record(0, i));
        }
        log.whenWritten().get(10, TimeUnit.SECONDS);
        assertThat(lines()).hasSize(5_000); // read right at completion: nothing still buffered
        assertThat(log.whenWritten()).isCompleted(); // nothing new appended: done at once
        log.stop(Duration.ofSeconds(10));
    }

    @Test
    void segmentsRollBySizeAndNoneGrowsPastIt() throws Exception {
        int lineLength = mapper.writeValueAsBytes(mapper.readTree(json(record(0, 0)))).length + 1;
        DeliveryLog log = started(1024, Duration.ofHours(1));
        for (int i = 0; i < 20; i++) {
            log.append(record(0, i));
        }
        log.stop(Duration.ofSeconds(10));

        int perSegment = 1024 / lineLength;
        assertThat(segments()).hasSize((20 + perSegment - 1) / perSegment);
        for (Path segment : segments()) {
            assertThat(Files.size(segment)).isLessThanOrEqualTo(1024);
        }
        assertThat(lines()).extracting(node -> node.get("id").asText())
                .containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(20).map(i -> new SpoolId(0, i).toString()).toList());
    }

    @Test
    void aSegmentOlderThanSegmentAgeIsClosedForTheNextRecord() throws Exception {
        DeliveryLog log = started(64 << 20, Duration.ofHours(1));
        log.append(record(0, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> lines().size() == 1);
        clock.advance(Duration.ofHours(1));
        log.append(record(0, 1));
        log.stop(Duration.ofSeconds(10));

        assertThat(segments()).extracting(path -> path.getFileName().toString())
                .containsExactly("20261128T170000Z-0000.jsonl", "20261128T180000Z-0000.jsonl");
    }

    @Test
    void stopWritesEverythingStillQueued() throws Exception {
        DeliveryLog log = started(64 << 20, Duration.ofHours(1));
        for (int i = 0; i < 20_000; i++) {
            assertThat(log.append(record(0, i))).isTrue();
        }
        log.stop(Duration.ofSeconds(30));

        assertThat(lines()).hasSize(20_000);
        assertThat(log.dropped()).isZero();
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        DeliveryLog log = started(256 << 10, Duration.ofHours(1));
        int threads = 8;
        int each = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long thread = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < each; i++) {
                    if (!log.append(record(thread, i))) {
                        throw new AssertionError("dropped " + thread + "/" + i);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        log.stop(Duration.ofSeconds(30));

        Set<String> ids = new HashSet<>();
        lines().forEach(node -> ids.add(node.get("id").asText()));
        assertThat(ids).hasSize(threads * each);
        assertThat(segments().size()).isGreaterThan(1);
        assertThat(log.dropped()).isZero();
    }

    @Test
    void recordsOfferedWhenTheLogIsNotRunningAreCountedAsDropped() throws Exception {
        DeliveryLog log = new DeliveryLog(new LogConfig(home.resolve("log"), 1024, Duration.ofHours(1)), clock, 4);
        assertThat(log.append(record(0, 0))).isFalse();
        log.start();
        log.stop(Duration.ofSeconds(10));
        assertThat(log.append(record(0, 1))).isFalse();
        assertThat(log.dropped()).isEqualTo(2);
    }

    @Test
    void aJournalThatCannotBeWrittenKeepsEveryRecordAndWritesThemInOrderOnceItCan() throws Exception {
        DeliveryLog log = new DeliveryLog(new LogConfig(home.resolve("log"), 64 << 20, Duration.ofHours(1)), clock, 4);
        log.start();
        Path folder = home.resolve("log");
        Files.delete(folder);
        Files.writeString(folder, "not a folder"); // every segment open fails now, as on a full disk
        List<Boolean> taken = new ArrayList<>();
        while (taken.size() < 100_000 && (taken.isEmpty() || taken.get(taken.size() - 1))) {
            taken.add(log.append(record(0, taken.size()))); // the writer holds what it took, the queue (4) fills
        }
        int normal = taken.size();
        var written = log.whenWritten();
        for (int i = 0; i < 4; i++) {
            taken.add(log.appendFinal(record(0, taken.size()))); // a finished message's record: kept beyond the queue
        }
        var finalWritten = log.whenWritten();
        await().atMost(Duration.ofSeconds(5)).until(() -> log.writeFailures() >= 2);
        assertThat(written).isNotDone();
        assertThat(taken.get(normal - 1)).isFalse();
        assertThat(taken.subList(normal, normal + 4)).containsOnly(true);
        assertThat(log.dropped()).isEqualTo(1);

        Files.delete(folder); // space is back
        finalWritten.get(10, TimeUnit.SECONDS);
        assertThat(written).isDone();
        List<String> ids = lines().stream().map(node -> node.get("id").asText()).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < taken.size(); i++) {
            if (taken.get(i)) {
                expected.add(new SpoolId(0, i).toString());
            }
        }
        assertThat(ids).containsExactlyElementsOf(expected); // in order, none twice
        assertThat(log.backlog()).isZero();
        log.stop(Duration.ofSeconds(10));
    }

    private static String json(LogRecord record) throws Exception {
        return LogRecordTest.json(record).toString();
    }
}
