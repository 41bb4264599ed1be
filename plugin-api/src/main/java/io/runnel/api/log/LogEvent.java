package io.runnel.api.log;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery-log record as a log sink sees it: the record's JSON line as the kernel journaled it (KumoMTA's field
 * names, see the README's "Log records"), plus the fields sinks route and key by, so a sink never parses JSON to
 * find the tenant. Immutable; safe to keep.
 *
 * @param type      what happened
 * @param id        the message's spool id as text
 * @param recipient the recipient the record is about; empty for records before RCPT
 * @param timestamp when it happened
 * @param tenant    the tenant, when known
 * @param campaign  the campaign, when known
 * @param json      the whole record as one JSON object, without a line break
 * @since API 1.0
 */
public record LogEvent(Type type, String id, String recipient, Instant timestamp, Optional<String> tenant,
                       Optional<String> campaign, String json) {

    /** The kinds of records, with KumoMTA's {@code RecordType} names as {@link #json()}. */
    public enum Type {
        RECEPTION("Reception"),
        DELIVERY("Delivery"),
        TRANSIENT_FAILURE("TransientFailure"),
        BOUNCE("Bounce"),
        EXPIRATION("Expiration"),
        DELAYED("Delayed"),
        ADMIN_BOUNCE("AdminBounce"),
        OOB("OOB"),
        FEEDBACK("Feedback"),
        REJECTION("Rejection");

        private final String json;

        Type(String json) {
            this.json = json;
        }

        /** The value of the record's {@code type} field. */
        public String json() {
            return json;
        }

        /** The type whose {@link #json()} is {@code name}. */
        public static Type ofJson(String name) {
            return Arrays.stream(values()).filter(t -> t.json.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown record type: " + name));
        }
    }

    public LogEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(json, "json");
        if (json.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("json must be one line");
        }
    }
}
