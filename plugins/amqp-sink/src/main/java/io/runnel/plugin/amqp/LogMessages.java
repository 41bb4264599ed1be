package io.runnel.plugin.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.MessageProperties;
import io.runnel.api.log.LogEvent;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/** The AMQP properties of one record's message: persistent JSON, with the routing fields as headers. */
final class LogMessages {

    static final String CONTENT_TYPE = "application/json";

    private LogMessages() {
    }

    /**
     * Persistent (delivery mode 2), so a durable queue keeps the record across a broker restart; {@code message_id}
     * is the spool id and {@code type} the record type; headers {@code type}, {@code tenant}, {@code campaign} and
     * {@code recipient} (the last three only when the record has them) let a headers exchange or a consumer route
     * without parsing the body.
     */
    static AMQP.BasicProperties properties(LogEvent event) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("type", event.type().json());
        event.tenant().ifPresent(tenant -> headers.put("tenant", tenant));
        event.campaign().ifPresent(campaign -> headers.put("campaign", campaign));
        if (!event.recipient().isEmpty()) {
            headers.put("recipient", event.recipient());
        }
        return MessageProperties.PERSISTENT_BASIC.builder()
                .contentType(CONTENT_TYPE)
                .messageId(event.id())
                .type(event.type().json())
                .timestamp(Date.from(event.timestamp()))
                .appId("runnel")
                .headers(headers)
                .build();
    }
}
