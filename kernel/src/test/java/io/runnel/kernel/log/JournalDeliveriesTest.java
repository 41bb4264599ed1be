package io.runnel.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.log.LogEvent.Type;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.config.LogConfig;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.spool.SpoolId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the Delivery records of the journal's tail, as the daemon's own writer wrote them. */
class JournalDeliveriesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final EmailAddress BOB = EmailAddress.parse("bob@example.net");

    @TempDir
    Path dir;

    private final SpoolId.Factory ids = new SpoolId.Factory(Clock.systemUTC(), new SplittableRandom(7));

    @Test
    void onlyTheTailIsReadAndALineItBeginsInsideIsNotTakenForARecord() throws Exception {
        List<MessageMeta> messages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            messages.add(message(BOB));
        }
        write(messages.stream().map(m -> delivery(m, BOB)).toList());
        long size = journalSize();

        JournalDeliveries all = JournalDeliveries.read(dir, size);
        assertThat(all.messages()).isEqualTo(200);

        // half the bytes, cut somewhere inside a record: the newest half, the cut record not among them
        JournalDeliveries tail = JournalDeliveries.read(dir, size / 2);
        assertThat(tail.messages()).isBetween(90, 100);
        assertThat(delivered(tail, messages.get(199))).isTrue();
        assertThat(delivered(tail, messages.get(0))).isFalse();
        assertThat(delivered(tail, messages.get(200 - tail.messages() - 1))).isFalse();
    }

    @Test
    void otherRecordTypesAndDamagedLinesProveNoDelivery() throws Exception {
        MessageMeta deferred = message(BOB);
        MessageMeta delivered = message(BOB);
        write(List.of(LogRecord.outcome(Type.TRANSIENT_FAILURE, deferred, BOB, "example.net", "mx.example.net",
                new LogRecord.Response(451, Optional.empty(), "later", Optional.empty()), Optional.empty(),
                Optional.empty(), Instant.now()), delivery(delivered, BOB)));
        try (Stream<Path> segments = Files.list(dir)) {
            Path segment = segments.findFirst().orElseThrow();
            String damaged = "{\"type\":\"Delivery\",\"id\":\"" + deferred.id() + "\",\"recipient\":\"bob@example.net\"\n";
            Files.writeString(segment, damaged, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }

        JournalDeliveries read = JournalDeliveries.read(dir, JournalDeliveries.TAIL_BYTES);
        assertThat(delivered(read, deferred)).isFalse();
        assertThat(delivered(read, delivered)).isTrue();
    }

    @Test
    void onlyPendingRecipientsNamedInDeliveryRecordsChange() throws Exception {
        EmailAddress carol = EmailAddress.parse("carol@example.org");
        MessageMeta meta = message(BOB, carol);
        write(List.of(delivery(meta, carol)));

        JournalDeliveries read = JournalDeliveries.read(dir, JournalDeliveries.TAIL_BYTES);
        assertThat(read.apply(meta).recipients()).extracting(Recipient::state)
                .containsExactly(RecipientState.PENDING, RecipientState.DELIVERED);
        MessageMeta unrelated = message(carol);
        assertThat(read.apply(unrelated)).isSameAs(unrelated);
        assertThat(JournalDeliveries.read(dir.resolve("never-written"), JournalDeliveries.TAIL_BYTES).messages()).isZero();
    }

    private static boolean delivered(JournalDeliveries journal, MessageMeta meta) {
        return journal.apply(meta).recipients().stream().anyMatch(r -> r.state() == RecipientState.DELIVERED);
    }

    private void write(List<LogRecord> records) throws Exception {
        DeliveryLog log = new DeliveryLog(new LogConfig(dir, 64 << 20, Duration.ofHours(1)), Clock.systemUTC());
        log.start();
        records.forEach(log::appendFinal);
        assertThat(log.whenWritten()).succeedsWithin(WAIT);
        log.stop(WAIT);
    }

    private long journalSize() throws Exception {
        try (Stream<Path> segments = Files.list(dir)) {
            return segments.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private MessageMeta message(EmailAddress... recipients) {
        return new MessageMeta(ids.next(), Instant.now(), EmailAddress.parse("alice@example.com"),
                Stream.of(recipients).map(r -> Recipient.pending(r, Set.of(), Optional.empty())).toList(),
                new MailParameters(MailParameters.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty()),
                new ReceptionFacts("inbound", "192.0.2.7", "helo", "SMTP", Optional.empty(), Optional.empty()),
                Optional.empty(), Optional.empty(), 1, Instant.now(), 100, Optional.empty());
    }

    private static LogRecord delivery(MessageMeta meta, EmailAddress recipient) {
        return LogRecord.outcome(Type.DELIVERY, meta, recipient, "example.net", "mx.example.net",
                new LogRecord.Response(250, Optional.empty(), "2.0.0 ok", Optional.empty()), Optional.empty(),
                Optional.empty(), Instant.now());
    }
}
