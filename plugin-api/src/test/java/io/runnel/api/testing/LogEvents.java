package io.runnel.api.testing;

import io.runnel.api.log.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Log records as the kernel journals them (KumoMTA field names), for sink tests. */
public final class LogEvents {

    private LogEvents() {
    }

    public static LogEvent record(LogEvent.Type type, String id, String tenant, String campaign) {
        Instant at = Instant.parse("2026-11-28T12:00:00Z");
        String recipient = "rcpt-" + id + "@example.net";
        String json = "{\"type\":\"" + type.json() + "\",\"id\":\"" + id + "\",\"sender\":\"news@example.com\","
                + "\"recipient\":\"" + recipient + "\",\"timestamp\":" + at.getEpochSecond()
                + (tenant == null ? "" : ",\"tenant\":\"" + tenant + "\"")
                + (campaign == null ? "" : ",\"campaign\":\"" + campaign + "\"") + "}";
        return new LogEvent(type, id, recipient, at, Optional.ofNullable(tenant), Optional.ofNullable(campaign), json);
    }

    /** {@code count} deliveries for {@code tenant}, ids {@code prefix-0}, {@code prefix-1}, ... */
    public static List<LogEvent> deliveries(String prefix, String tenant, int count) {
        List<LogEvent> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(record(LogEvent.Type.DELIVERY, prefix + "-" + i, tenant, "spring-sale"));
        }
        return records;
    }
}
