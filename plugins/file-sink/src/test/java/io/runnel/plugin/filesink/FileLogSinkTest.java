package io.runnel.plugin.filesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.luben.zstd.ZstdInputStream;
import io.runnel.api.log.LogEvent;
import io.runnel.api.plugin.PluginConfigException;
import io.runnel.api.testing.TestPluginContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogSinkTest {

    @TempDir
    Path home;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-28T17:00:00Z"));

    private FileLogSink sink(Map<String, ?> config) throws PluginConfigException {
        return new FileLogSink(TestPluginContext.of("file-log", config, home, clock));
    }

    private static LogEvent event(int n, String tenant) {
        String json = "{\"type\":\"Delivery\",\"id\":\"m" + n + "\",\"recipient\":\"r" + n + "@example.net\","
                + "\"meta\":{\"tenant\":\"" + tenant + "\"},\"pad\":\"" + "x".repeat(150) + "\"}";
        return new LogEvent(LogEvent.Type.DELIVERY, "m" + n, "r" + n + "@example.net",
                Instant.parse("2026-11-28T17:00:00Z"), Optional.of(tenant), Optional.empty(), json);
    }

    private static List<LogEvent> events(int from, int count, String tenant) {
        return IntStream.range(from, from + count).mapToObj(n -> event(n, tenant)).toList();
    }

    private static List<String> lines(List<LogEvent> events) {
        return events.stream().map(LogEvent::json).toList();
    }

    /** Every record in the folder, segments in name order, compressed ones decompressed. */
    private static List<String> readBack(Path folder) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files(folder)) {
            try (InputStream in = f.toString().endsWith(".zst") ? new ZstdInputStream(Files.newInputStream(f))
                    : Files.newInputStream(f)) {
                out.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        return out;
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            // "x.jsonl" and "x.jsonl.zst" sort by their segment name
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void rotatesBySizeCompressesClosedSegmentsAndReadsBackInOrder() throws Exception {
        FileLogSink sink = sink(Map.of("segment_size", "4KiB"));
        List<LogEvent> all = events(0, 200, "acme");
        for (int i = 0; i < all.size(); i += 30) {
            sink.publish(all.subList(i, Math.min(all.size(), i + 30)));
        }

        List<Path> files = files(home.resolve("log-archive"));
        assertThat(files).hasSizeGreaterThan(5);
        assertThat(files.subList(0, files.size() - 1)).allMatch(f -> f.toString().endsWith(".jsonl.zst"));
        assertThat(files.get(files.size() - 1).toString()).endsWith(".jsonl");
        for (Path f : files.subList(0, files.size() - 1)) {
            assertThat(Files.size(f)).isLessThan(4096);
        }
        assertThat(readBack(home.resolve("log-archive"))).containsExactlyElementsOf(lines(all));
    }

    @Test
    void rotatesByAgeWhenRecordsArrive() throws Exception {
        FileLogSink sink = sink(Map.of("segment_age", "10m", "compress", false));
        sink.publish(events(0, 3, "acme"));
        clock.advance(Duration.ofMinutes(9));
        sink.publish(events(3, 3, "acme"));
        assertThat(files(home.resolve("log-archive"))).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        sink.publish(events(6, 3, "acme"));

        List<Path> files = files(home.resolve("log-archive"));
        assertThat(files).extracting(f -> f.getFileName().toString())
                .containsExactly("20261128T170000Z-0000.jsonl", "20261128T171000Z-0000.jsonl");
        assertThat(readBack(home.resolve("log-archive"))).containsExactlyElementsOf(lines(events(0, 9, "acme")));
    }

    @Test
    void perTenantFoldersKeepEachTenantsRecordsInOrder() throws Exception {
        FileLogSink sink = sink(Map.of("per_tenant", true, "segment_size", "2KiB"));
        List<LogEvent> mixed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            mixed.add(event(i, i % 3 == 0 ? "acme" : "../evil tenant"));
        }
        mixed.add(new LogEvent(LogEvent.Type.RECEPTION, "x", "", Instant.EPOCH, Optional.empty(), Optional.empty(), "{}"));
        sink.publish(mixed);

        assertThat(readBack(home.resolve("log-archive/acme")))
                .containsExactlyElementsOf(lines(mixed.stream().filter(e -> e.tenant().equals(Optional.of("acme"))).toList()));
        assertThat(readBack(home.resolve("log-archive/_.._evil_tenant")))
                .hasSize(40).allMatch(l -> l.contains("../evil tenant"));
        assertThat(readBack(home.resolve("log-archive/_none"))).containsExactly("{}");
    }

    @Test
    void retentionDeletesOldClosedSegmentsThenTheOldestBeyondTheSizeBound() throws Exception {
        Path folder = Files.createDirectories(home.resolve("log-archive"));
        Path ancient = old(folder.resolve("20261001T000000Z-0000.jsonl.zst"), "2026-10-01T01:00:00Z", 100);
        Path older = old(folder.resolve("20261127T000000Z-0000.jsonl.zst"), "2026-11-27T01:00:00Z", 3000);
        Path newer = old(folder.resolve("20261128T000000Z-0000.jsonl.zst"), "2026-11-28T01:00:00Z", 3000);

        FileLogSink sink = sink(Map.of("retention", "720h", "max_size", "5000", "segment_size", "1KiB"));
        sink.publish(events(0, 1, "acme"));

        assertThat(ancient).doesNotExist();
        assertThat(older).as("deleted for the size bound, oldest first").doesNotExist();
        assertThat(newer).exists();
        Path written = files(folder).stream().filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        assertThat(Files.readAllLines(written)).containsExactly(event(0, "acme").json());
    }

    @Test
    void segmentsLeftPlainByAnEarlierRunAreCompressedAndANewSegmentIsStarted() throws Exception {
        Path folder = Files.createDirectories(home.resolve("log-archive"));
        Files.writeString(folder.resolve("20261128T170000Z-0000.jsonl"), "{\"left\":1}\n");

        sink(Map.of()).publish(events(0, 2, "acme"));

        assertThat(files(folder)).extracting(f -> f.getFileName().toString())
                .containsExactly("20261128T170000Z-0000.jsonl.zst", "20261128T170000Z-0001.jsonl");
        assertThat(readBack(folder)).containsExactly("{\"left\":1}", event(0, "acme").json(), event(1, "acme").json());
    }

    @Test
    void badSettingsNameTheKey() {
        Throwable level = catchThrowable(() -> sink(Map.of("compression_level", 40L)));
        assertThat(level).isInstanceOf(PluginConfigException.class).hasMessageContaining("plugins.file-log.compression_level");
        Throwable size = catchThrowable(() -> sink(Map.of("segment_size", "lots")));
        assertThat(size).isInstanceOf(PluginConfigException.class).hasMessageContaining("plugins.file-log.segment_size");
        Throwable typo = catchThrowable(() -> sink(Map.of("per_tennant", true)));
        assertThat(typo).isInstanceOf(PluginConfigException.class).hasMessageContaining("unknown key");
    }

    private static Path old(Path file, String modified, int size) throws IOException {
        Files.write(file, new byte[size]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(modified)));
        return file;
    }

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
