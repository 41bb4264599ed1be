package io.runnel.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.sdk.sink.ReceivedMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account of a chaos run: for every message that got a 250 (spool id to content), whether a sink received it
 * (by its Message-ID) or the daemon's log has a Bounce or Expiration record for its spool id.
 *
 * @param acknowledged messages that got a 250
 * @param delivered    of those, received by a sink at least once
 * @param bounced      not received, with a Bounce record
 * @param expired      not received, with an Expiration record
 * @param lost         spool ids neither received nor bounced nor expired: must be empty
 * @param duplicated   acknowledged messages a sink received more than once
 * @param unacknowledged messages a sink received whose 250 never reached the sender (spooled just before a kill)
 * @param dsns         null-sender messages (bounce notices to the senders) the sinks received
 */
record ChaosLedger(int acknowledged, int delivered, int bounced, int expired, Set<String> lost, int duplicated,
                   int unacknowledged, int dsns) {

    private static final Pattern MESSAGE_ID = Pattern.compile("\r\nMessage-ID: <(\\d+\\.\\d+)@crash\\.test>\r\n");

    /**
     * Reads the log folder: {@code lenient} skips lines that do not parse, for a daemon still writing its last
     * line; the final account after a clean stop is strict.
     */
    static ChaosLedger of(Map<String, byte[]> acknowledged, List<ReceivedMessage> received, Path logFolder,
                          boolean lenient) throws IOException {
        Map<String, Integer> arrivals = new HashMap<>();
        int dsns = 0;
        for (ReceivedMessage message : received) {
            if (message.sender().isEmpty()) {
                dsns++; // a bounce notice quotes the original's headers: not an arrival of it
                continue;
            }
            arrivals.merge(messageId(message.content()), 1, Integer::sum);
        }
        Map<String, String> outcomes = finalOutcomes(logFolder, lenient);
        int delivered = 0;
        int bounced = 0;
        int expired = 0;
        int duplicated = 0;
        Set<String> lost = new TreeSet<>();
        Set<String> acknowledgedIds = new HashSet<>();
        for (Map.Entry<String, byte[]> sent : acknowledged.entrySet()) {
            String id = messageId(sent.getValue());
            acknowledgedIds.add(id);
            int copies = arrivals.getOrDefault(id, 0);
            String outcome = outcomes.get(sent.getKey());
            if (copies > 0) {
                delivered++;
                duplicated += copies > 1 ? 1 : 0;
            } else if ("Bounce".equals(outcome)) {
                bounced++;
            } else if ("Expiration".equals(outcome)) {
                expired++;
            } else {
                lost.add(sent.getKey() + " <" + id + "@crash.test>");
            }
        }
        Set<String> unacknowledged = new HashSet<>(arrivals.keySet());
        unacknowledged.removeAll(acknowledgedIds);
        return new ChaosLedger(acknowledged.size(), delivered, bounced, expired, lost, duplicated,
                unacknowledged.size(), dsns);
    }

    /** Spool id to "Bounce" or "Expiration" from every complete line of the journal. */
    private static Map<String, String> finalOutcomes(Path logFolder, boolean lenient) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> outcomes = new HashMap<>();
        for (String line : JournalLines.complete(logFolder)) {
            JsonNode record;
            try {
                record = json.readTree(line);
            } catch (IOException e) {
                if (lenient) {
                    continue;
                }
                throw new IOException(logFolder + ": not a log record: " + line, e);
            }
            String type = record.path("type").asText();
            if (type.equals("Bounce") || type.equals("Expiration")) {
                outcomes.put(record.path("id").asText(), type);
            }
        }
        return outcomes;
    }

    private static String messageId(byte[] content) {
        Matcher m = MESSAGE_ID.matcher(new String(content, StandardCharsets.ISO_8859_1));
        if (!m.find()) {
            throw new AssertionError("no chaos-test Message-ID in a message");
        }
        return m.group(1);
    }

    boolean complete() {
        return lost.isEmpty();
    }

    /** The one line the closing note quotes. */
    String summary(int kills) {
        return ("ChaosIT summary: kills=%d messages=%d delivered=%d bounced=%d expired=%d lost=%d duplicated=%d"
                + " unacknowledged-arrivals=%d dsns=%d").formatted(kills, acknowledged, delivered, bounced, expired,
                lost.size(), duplicated, unacknowledged, dsns);
    }
}
