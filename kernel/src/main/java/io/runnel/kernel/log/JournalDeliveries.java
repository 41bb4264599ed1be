package io.runnel.kernel.log;

import io.runnel.api.log.LogEvent;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.message.Recipient.RecipientState;
import io.runnel.kernel.spool.SpoolId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recipients that the journal's newest Delivery records say were delivered, by spool id. A restart after a crash
 * applies them to the spooled messages, so that a message whose records were written but whose removal (or new
 * state) was not yet committed is not sent to those recipients again.
 *
 * <p>Only the journal's last bytes are read. A message leaves the spool, or has its state saved, within
 * milliseconds of its records, so only the tail can hold records that the spool does not know about yet. Only
 * Delivery records count: the mail left for good, and nothing else (such as a DSN for a bounce) hangs on them.
 */
public final class JournalDeliveries {

    /** Enough for every record that can still wait for its removal, many times over; a few MiB read at start. */
    public static final long TAIL_BYTES = 8L << 20;
    /** How {@link LogRecordJson} writes the type of a Delivery record: lines without it are not parsed. */
    private static final String DELIVERY = "\"type\":\"" + LogEvent.Type.DELIVERY.json() + "\"";
    private static final int LINES_PER_READ = 1024;

    /** Recipient addresses as the records write them, by spool id (parsed once per record, not per spooled message). */
    private final Map<SpoolId, Set<String>> delivered;

    private JournalDeliveries(Map<SpoolId, Set<String>> delivered) {
        this.delivered = delivered;
    }

    /** None: no journal, or nothing delivered in its tail. */
    public static JournalDeliveries none() {
        return new JournalDeliveries(Map.of());
    }

    /** The Delivery records among the last {@code tailBytes} of the journal in {@code folder}. */
    public static JournalDeliveries read(Path folder, long tailBytes) throws IOException {
        JournalFolder journal = new JournalFolder(folder);
        JournalPosition from = tailStart(journal.segments(), tailBytes);
        Map<SpoolId, Set<String>> delivered = new HashMap<>();
        LogEventParser parser = new LogEventParser();
        boolean insideLine = from.offset() > 0;
        try (JournalReader reader = new JournalReader(journal, "restart", from)) {
            for (List<String> lines = reader.read(LINES_PER_READ).lines(); !lines.isEmpty();
                 lines = reader.read(LINES_PER_READ).lines()) {
                for (String line : lines) {
                    if (insideLine) {
                        insideLine = false; // the tail began inside this line: only its end, not a record
                    } else if (line.contains(DELIVERY)) {
                        take(parser, line, delivered);
                    }
                }
            }
        }
        return new JournalDeliveries(delivered);
    }

    /** Messages with at least one delivered recipient in the tail. */
    public int messages() {
        return delivered.size();
    }

    /**
     * {@code meta} with each pending recipient the journal saw delivered marked delivered; {@code meta} itself when
     * there is none.
     */
    public MessageMeta apply(MessageMeta meta) {
        Set<String> done = delivered.getOrDefault(meta.id(), Set.of());
        if (done.isEmpty() || meta.recipients().stream().noneMatch(r -> pendingIn(r, done))) {
            return meta;
        }
        List<Recipient> recipients = meta.recipients().stream()
                .map(r -> pendingIn(r, done) ? r.withState(RecipientState.DELIVERED) : r)
                .toList();
        return meta.withRecipients(recipients);
    }

    private static boolean pendingIn(Recipient recipient, Set<String> delivered) {
        return recipient.state() == RecipientState.PENDING && delivered.contains(recipient.address().toString());
    }

    private static void take(LogEventParser parser, String line, Map<SpoolId, Set<String>> delivered) {
        try {
            LogEvent event = parser.parse(line);
            if (event.type() == LogEvent.Type.DELIVERY && !event.recipient().isEmpty()) {
                delivered.computeIfAbsent(SpoolId.parse(event.id()), id -> new HashSet<>()).add(event.recipient());
            }
        } catch (IOException | IllegalArgumentException damaged) {
            // a damaged line proves no delivery: that message is sent again, as it would be without the journal
        }
    }

    /** Where the last {@code tailBytes} of the journal begin, counting back over the newest segments. */
    private static JournalPosition tailStart(List<JournalFolder.Segment> segments, long tailBytes) {
        long left = tailBytes;
        for (int i = segments.size() - 1; i >= 0; i--) {
            JournalFolder.Segment segment = segments.get(i);
            if (segment.size() >= left) {
                return new JournalPosition(segment.name(), segment.size() - left);
            }
            left -= segment.size();
        }
        return JournalPosition.START;
    }
}
