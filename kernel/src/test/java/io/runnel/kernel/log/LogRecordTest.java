package io.runnel.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.log.LogRecord.PeerAddress;
import io.runnel.api.log.LogEvent.Type;
import io.runnel.kernel.log.LogRecord.Response;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.ReceptionFacts.TlsFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.spool.SpoolId;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogRecordTest {

    static final Instant RECEIVED = Instant.parse("2026-11-28T17:00:00.750Z");
    static final EmailAddress BOB = EmailAddress.parse("bob@example.com");

    static MessageMeta message(SpoolId id) {
        return new MessageMeta(id, RECEIVED, EmailAddress.parse("alice@example.org"),
                List.of(Recipient.pending(BOB, Set.of(), Optional.empty())),
                new MailParameters(MailParameters.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty()),
                new ReceptionFacts("inbound", "192.0.2.7", "client.example", "ESMTPS", Optional.empty(),
                        Optional.of(new TlsFacts("TLSv1.3", "TLS_AES_256_GCM_SHA384"))),
                Optional.of("tenant-a"), Optional.of("spring-sale"), 3, RECEIVED, 4321, Optional.empty());
    }

    static LogRecord bounce(SpoolId id) {
        return LogRecord.outcome(Type.BOUNCE, message(id), BOB, "spring-sale:tenant-a@example.com", "mx.example.com",
                Response.of(SmtpReply.of(550, "5.1.1", "User unknown"), Optional.of("RCPT TO:<bob@example.com>")),
                Optional.of(new PeerAddress("mx1.example.com", "198.51.100.25")), Optional.empty(),
                Instant.parse("2026-11-28T17:05:00.999Z"));
    }

    static JsonNode json(LogRecord record) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = new JsonFactory().createGenerator(out)) {
            LogRecordJson.write(record, generator);
        }
        return new ObjectMapper().readTree(out.toString());
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aBounceIsWrittenWithKumoMtaFieldNamesAndValues() throws Exception {
        SpoolId id = SpoolId.parse("019ad0a1f3c87000b1e2d3c4b5a69788");
        JsonNode node = json(bounce(id));

        assertThat(fieldNames(node)).containsExactly("type", "id", "sender", "recipient", "queue", "site", "size",
                "response", "peer_address", "timestamp", "created", "num_attempts", "bounce_classification", "egress_pool",
                "egress_source", "feedback_report", "meta", "headers", "delivery_protocol", "reception_protocol");
        assertThat(node.get("type").asText()).isEqualTo("Bounce");
        assertThat(node.get("id").asText()).isEqualTo(id.toString());
        assertThat(node.get("sender").asText()).isEqualTo("alice@example.org");
        assertThat(node.get("recipient").asText()).isEqualTo("bob@example.com");
        assertThat(node.get("queue").asText()).isEqualTo("spring-sale:tenant-a@example.com");
        assertThat(node.get("site").asText()).isEqualTo("mx.example.com");
        assertThat(node.get("size").asLong()).isEqualTo(4321);
        JsonNode response = node.get("response");
        assertThat(fieldNames(response)).containsExactly("code", "enhanced_code", "content", "command");
        assertThat(response.get("code").asInt()).isEqualTo(550);
        assertThat(response.get("enhanced_code").get("class").asInt()).isEqualTo(5);
        assertThat(response.get("enhanced_code").get("subject").asInt()).isEqualTo(1);
        assertThat(response.get("enhanced_code").get("detail").asInt()).isEqualTo(1);
        assertThat(response.get("content").asText()).isEqualTo("User unknown");
        assertThat(response.get("command").asText()).isEqualTo("RCPT TO:<bob@example.com>");
        assertThat(node.get("peer_address").get("name").asText()).isEqualTo("mx1.example.com");
        assertThat(node.get("peer_address").get("addr").asText()).isEqualTo("198.51.100.25");
        assertThat(node.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(node.get("timestamp").asLong()).isEqualTo(Instant.parse("2026-11-28T17:05:00Z").getEpochSecond());
        assertThat(node.get("created").asLong()).isEqualTo(Instant.parse("2026-11-28T17:00:00Z").getEpochSecond());
        assertThat(node.get("num_attempts").asInt()).isEqualTo(3);
        assertThat(node.get("bounce_classification").asText()).isEqualTo("Uncategorized");
        assertThat(node.get("egress_pool").isNull()).isTrue();
        assertThat(node.get("egress_source").isNull()).isTrue();
        assertThat(node.get("feedback_report").isNull()).isTrue();
        assertThat(node.get("meta").get("tenant").asText()).isEqualTo("tenant-a");
        assertThat(node.get("meta").get("campaign").asText()).isEqualTo("spring-sale");
        assertThat(node.get("headers").isObject()).isTrue();
        assertThat(node.get("headers").size()).isZero();
        assertThat(node.get("delivery_protocol").asText()).isEqualTo("ESMTP");
        assertThat(node.get("reception_protocol").asText()).isEqualTo("ESMTPS");
    }

    @Test
    void aReceptionNamesTheClientAsPeerAndCarriesItsTls() throws Exception {
        JsonNode node = json(LogRecord.reception(message(SpoolId.parse("019ad0a1f3c87000b1e2d3c4b5a69788")), BOB,
                "spring-sale:tenant-a@example.com"));
        assertThat(node.get("type").asText()).isEqualTo("Reception");
        assertThat(node.get("response").get("code").asInt()).isEqualTo(250);
        assertThat(node.get("response").get("enhanced_code").isNull()).isTrue();
        assertThat(node.get("response").get("command").isNull()).isTrue();
        assertThat(node.get("peer_address").get("name").asText()).isEqualTo("client.example");
        assertThat(node.get("peer_address").get("addr").asText()).isEqualTo("192.0.2.7");
        assertThat(node.get("delivery_protocol").isNull()).isTrue();
        assertThat(node.get("tls_cipher").asText()).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(node.get("tls_protocol_version").asText()).isEqualTo("TLSv1.3");
        assertThat(node.get("num_attempts").asInt()).isZero();
    }

    @Test
    void injectedMetadataRidesInMetaOfEveryRecordOfTheMessageAndTenantWins() throws Exception {
        MessageMeta plain = message(SpoolId.parse("019ad0a1f3c87000b1e2d3c4b5a69788"));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zone", "eu-1");
        metadata.put("customer_id", "42");
        metadata.put("tenant", "spoofed"); // injection refuses this key; spooled data is still not trusted to win
        MessageMeta message = new MessageMeta(plain.id(), plain.receivedAt(), plain.sender(), plain.recipients(),
                plain.parameters(), plain.reception(), plain.tenant(), plain.campaign(), plain.attempts(), plain.dueAt(),
                plain.bodySize(), plain.lastAttempt(), Map.of(), Optional.empty(), metadata);
        List<LogRecord> records = new ArrayList<>();
        records.add(LogRecord.reception(message, BOB, "q"));
        for (Type type : Type.values()) {
            if (type != Type.RECEPTION && type != Type.REJECTION && type != Type.OOB && type != Type.FEEDBACK) {
                records.add(LogRecord.outcome(type, message, BOB, "q", "site", Response.ACCEPTED, Optional.empty(),
                        Optional.empty(), RECEIVED));
            }
        }
        assertThat(records).extracting(LogRecord::type).contains(Type.DELIVERY, Type.TRANSIENT_FAILURE, Type.BOUNCE,
                Type.EXPIRATION, Type.ADMIN_BOUNCE);
        for (LogRecord record : records) {
            JsonNode meta = json(record).get("meta");
            assertThat(fieldNames(meta)).as(record.type().name()).containsExactly("campaign", "customer_id", "tenant", "zone");
            assertThat(meta.get("tenant").asText()).isEqualTo("tenant-a");
            assertThat(meta.get("customer_id").asText()).isEqualTo("42");
        }
    }

    @Test
    void receptionAndRejectionAreNotDeliveryOutcomes() {
        SpoolId id = SpoolId.parse("019ad0a1f3c87000b1e2d3c4b5a69788");
        assertThatThrownBy(() -> LogRecord.outcome(Type.RECEPTION, message(id), BOB, "q", "s", Response.ACCEPTED,
                Optional.empty(), Optional.empty(), RECEIVED)).isInstanceOf(IllegalArgumentException.class);
    }
}
