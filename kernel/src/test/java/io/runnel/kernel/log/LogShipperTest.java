package io.runnel.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.api.log.LogEvent;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.config.LogConfig;
import io.runnel.kernel.config.LogSinkConfig;
import io.runnel.kernel.plugin.PluginInvoker;
import io.runnel.kernel.spool.SpoolId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real delivery log writes segments; a shipper feeds a sink from them, through failures and restarts. */
class LogShipperTest {

    private static final LogSinkConfig FAST_RETRY =
            new LogSinkConfig(LogSinkConfig.Start.JOURNAL, 100, Duration.ofMillis(5), Duration.ofMillis(40));

    @TempDir
    Path home;

    private final MutableClock clock = MutableClock.at("2026-11-28T17:00:00Z");
    private final JournalSignal signal = new JournalSignal();
    private final PluginInvoker invoker = new PluginInvoker(1, 16);
    private final List<LogShipper> shippers = new ArrayList<>();
    private DeliveryLog log;

    @AfterEach
    void stop() {
        shippers.forEach(LogShipper::requestStop);
        shippers.forEach(s -> s.awaitStop(Duration.ofSeconds(5)));
        if (log != null) {
            log.stop(Duration.ofSeconds(5));
        }
        invoker.stop(Duration.ofSeconds(1));
    }

    private Path logFolder() {
        return home.resolve("log");
    }

    private void startLog() throws Exception {
        // small segments, so the records span many of them while the shipper tails the newest
        log = new DeliveryLog(new LogConfig(logFolder(), 16 * 1024, Duration.ofHours(1)), clock, signal);
        log.start();
    }

    private LogShipper ship(RecordingSink sink, LogSinkConfig config) throws Exception {
        CursorStore cursors = new CursorStore(logFolder().resolve(".cursors"));
        JournalPosition from = cursors.load("rec").orElse(JournalPosition.START);
        LogShipper shipper = new LogShipper("rec", "rec-plugin", sink, config, invoker, new JournalFolder(logFolder()),
                cursors, signal, from);
        shipper.start();
        shippers.add(shipper);
        return shipper;
    }

    private List<String> append(long from, long count) {
        List<String> ids = new ArrayList<>();
        LongStream.range(from, from + count).forEach(n -> {
            SpoolId id = new SpoolId(7, n);
            assertThat(log.append(LogRecordTest.bounce(id))).isTrue();
            ids.add(id.toString());
        });
        return ids;
    }

    private static List<String> ids(List<LogEvent> events) {
        return events.stream().map(LogEvent::id).toList();
    }

    @Test
    void aSinkThatFailsGetsEveryRecordInJournalOrderOnceItRecovers() throws Exception {
        startLog();
        RecordingSink sink = new RecordingSink(500);
        sink.failNext.set(5);
        LogShipper shipper = ship(sink, FAST_RETRY);

        List<String> sent = append(0, 2000);

        await().atMost(Duration.ofSeconds(20)).until(() -> sink.received().size() >= 2000);
        assertThat(ids(sink.received())).containsExactlyElementsOf(sent);
        assertThat(new JournalFolder(logFolder()).segments()).hasSizeGreaterThan(5);
        await().atMost(Duration.ofSeconds(5)).until(() -> shipper.stats().lagBytes() == 0);
        SinkStats stats = shipper.stats();
        assertThat(stats.shipped()).isEqualTo(2000);
        assertThat(stats.failedBatches()).isEqualTo(5);
        assertThat(stats.skipped()).isZero();
        assertThat(Files.readString(logFolder().resolve(".cursors/rec")).strip()).isEqualTo(stats.cursor());
    }

    @Test
    void batchesRespectTheSmallerOfTheConfiguredSizeAndTheSinksOwnMaximum() throws Exception {
        startLog();
        append(0, 300);
        log.whenWritten().get();
        RecordingSink sink = new RecordingSink(40);
        ship(sink, FAST_RETRY);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.received().size() == 300);
        assertThat(sink.calls.get()).isGreaterThanOrEqualTo(300 / 40);
    }

    @Test
    void aRestartedShipperResumesAtItsSavedCursorWithoutLossOrRepeats() throws Exception {
        startLog();
        RecordingSink first = new RecordingSink(500);
        LogShipper shipper = ship(first, FAST_RETRY);
        List<String> before = append(0, 150);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.received().size() == 150);
        await().atMost(Duration.ofSeconds(5)).until(() -> shipper.stats().lagBytes() == 0);
        shipper.requestStop();
        shipper.awaitStop(Duration.ofSeconds(5));

        List<String> whileDown = append(150, 70);
        log.whenWritten().get();
        RecordingSink second = new RecordingSink(500);
        ship(second, FAST_RETRY);

        await().atMost(Duration.ofSeconds(10)).until(() -> second.received().size() >= 70);
        assertThat(ids(first.received())).containsExactlyElementsOf(before);
        assertThat(ids(second.received())).containsExactlyElementsOf(whileDown);
    }

    @Test
    void eventsCarryTheRoutingFieldsAndTheJournalLineVerbatim() throws Exception {
        startLog();
        RecordingSink sink = new RecordingSink(500);
        ship(sink, FAST_RETRY);
        append(0, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.received().size() == 1);

        LogEvent event = sink.received().get(0);
        String line = Files.readAllLines(new JournalFolder(logFolder()).file(
                new JournalFolder(logFolder()).segments().get(0).name())).get(0);
        assertThat(event.type()).isEqualTo(LogEvent.Type.BOUNCE);
        assertThat(event.id()).isEqualTo(new SpoolId(7, 0).toString());
        assertThat(event.recipient()).isEqualTo("bob@example.com");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-28T17:05:00Z"));
        assertThat(event.tenant()).contains("tenant-a");
        assertThat(event.campaign()).contains("spring-sale");
        assertThat(event.json()).isEqualTo(line);
    }

    @Test
    void backoffDoublesFromTheMinimumUpToTheCap() {
        LogShipper shipper = new LogShipper("b", "b", new RecordingSink(1),
                new LogSinkConfig(LogSinkConfig.Start.JOURNAL, 10, Duration.ofSeconds(1), Duration.ofSeconds(10)),
                invoker, new JournalFolder(logFolder()), new CursorStore(home), signal, JournalPosition.START);
        assertThat(List.of(1, 2, 3, 4, 5, 30).stream().map(shipper::backoff).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
    }
}
