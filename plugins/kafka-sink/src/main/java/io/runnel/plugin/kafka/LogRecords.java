package io.runnel.plugin.kafka;

import io.runnel.api.log.LogEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/** One log record as one Kafka record: keyed by tenant, the JSON line as value, routing fields as headers. */
final class LogRecords {

    /** The key of records without a tenant: they share one partition, so they too stay in order. */
    static final String NO_TENANT = "";

    private LogRecords() {
    }

    /**
     * Key = tenant, so all of a tenant's records land in one partition, in journal order. Headers {@code type},
     * {@code tenant}, {@code campaign} (the last two when known), UTF-8. The record's timestamp is the event's.
     */
    static ProducerRecord<String, byte[]> of(String topic, LogEvent event) {
        List<Header> headers = new ArrayList<>(3);
        headers.add(header("type", event.type().json()));
        event.tenant().ifPresent(tenant -> headers.add(header("tenant", tenant)));
        event.campaign().ifPresent(campaign -> headers.add(header("campaign", campaign)));
        return new ProducerRecord<>(topic, null, event.timestamp().toEpochMilli(), event.tenant().orElse(NO_TENANT),
                event.json().getBytes(StandardCharsets.UTF_8), headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
