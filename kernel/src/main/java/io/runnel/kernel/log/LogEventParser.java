package io.runnel.kernel.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runnel.api.log.LogEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a journal line into the {@link LogEvent} sinks get: the routing fields read from the JSON
 * ({@link LogRecordJson}'s names), the line itself kept byte for byte as {@link LogEvent#json()}.
 */
final class LogEventParser {

    private final JsonFactory json = new JsonFactory();

    /** The event of {@code line}; a line that is not a record (damaged on disk) is an IOException naming why. */
    LogEvent parse(String line) throws IOException {
        String type = null;
        String id = null;
        String recipient = "";
        Long timestamp = null;
        String tenant = null;
        String campaign = null;
        try (JsonParser p = json.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getValueAsString();
                    case "id" -> id = p.getValueAsString();
                    case "recipient" -> recipient = value == JsonToken.VALUE_NULL ? "" : p.getValueAsString();
                    case "timestamp" -> timestamp = value.isNumeric() ? p.getLongValue() : null;
                    case "meta" -> {
                        if (value != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            break;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String key = p.currentName();
                            p.nextToken();
                            if (key.equals("tenant")) {
                                tenant = p.getValueAsString();
                            } else if (key.equals("campaign")) {
                                campaign = p.getValueAsString();
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (type == null || id == null || timestamp == null) {
            throw new IOException("a record needs type, id and timestamp");
        }
        try {
            return new LogEvent(LogEvent.Type.ofJson(type), id, recipient, Instant.ofEpochSecond(timestamp),
                    Optional.ofNullable(tenant), Optional.ofNullable(campaign), line);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
