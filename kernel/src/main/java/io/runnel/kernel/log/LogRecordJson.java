package io.runnel.kernel.log;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.kernel.report.FeedbackReport;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a {@link LogRecord} with KumoMTA's field names. Written by hand rather than bound by annotations so
 * the wire names sit in one readable place and stay put when the record's Java names change. Absent values are
 * {@code null}, as KumoMTA writes them, except the TLS fields, which KumoMTA leaves out when unknown.
 */
final class LogRecordJson {

    private LogRecordJson() {
    }

    static void write(LogRecord r, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", r.type().json());
        json.writeStringField("id", r.id().toString());
        json.writeStringField("sender", r.sender().toString());
        string(json, "recipient", r.recipient().map(Object::toString));
        json.writeStringField("queue", r.queue());
        json.writeStringField("site", r.site());
        json.writeNumberField("size", r.size());
        response(json, r.response());
        json.writeFieldName("peer_address");
        if (r.peerAddress().isPresent()) {
            json.writeStartObject();
            json.writeStringField("name", r.peerAddress().get().name());
            json.writeStringField("addr", r.peerAddress().get().addr());
            json.writeEndObject();
        } else {
            json.writeNull();
        }
        json.writeNumberField("timestamp", seconds(r.timestamp()));
        json.writeNumberField("created", seconds(r.created()));
        json.writeNumberField("num_attempts", r.numAttempts());
        json.writeStringField("bounce_classification", r.bounceClassification());
        string(json, "egress_pool", r.egressPool());
        string(json, "egress_source", r.egressSource());
        json.writeFieldName("feedback_report");
        if (r.feedbackReport().isPresent()) {
            feedback(json, r.feedbackReport().get());
        } else {
            json.writeNull();
        }
        map(json, "meta", r.meta());
        map(json, "headers", r.headers());
        string(json, "delivery_protocol", r.deliveryProtocol());
        string(json, "reception_protocol", r.receptionProtocol());
        if (r.tls().isPresent()) {
            json.writeStringField("tls_cipher", r.tls().get().cipher());
            json.writeStringField("tls_protocol_version", r.tls().get().protocol());
        }
        json.writeEndObject();
    }

    private static void response(JsonGenerator json, LogRecord.Response response) throws IOException {
        json.writeObjectFieldStart("response");
        json.writeNumberField("code", response.code());
        json.writeFieldName("enhanced_code");
        if (response.enhancedCode().isPresent()) {
            EnhancedStatus status = response.enhancedCode().get();
            json.writeStartObject();
            json.writeNumberField("class", status.statusClass());
            json.writeNumberField("subject", status.subject());
            json.writeNumberField("detail", status.detail());
            json.writeEndObject();
        } else {
            json.writeNull();
        }
        json.writeStringField("content", response.content());
        string(json, "command", response.command());
        json.writeEndObject();
    }

    /** KumoMTA's ARFReport field names; dates as the report wrote them. */
    private static void feedback(JsonGenerator json, FeedbackReport f) throws IOException {
        json.writeStartObject();
        json.writeStringField("feedback_type", f.feedbackType());
        json.writeStringField("user_agent", f.userAgent());
        json.writeStringField("version", f.version());
        string(json, "arrival_date", f.arrivalDate());
        json.writeFieldName("incidents");
        if (f.incidents().isPresent()) {
            json.writeNumber(f.incidents().get());
        } else {
            json.writeNull();
        }
        string(json, "original_envelope_id", f.originalEnvelopeId());
        string(json, "original_mail_from", f.originalMailFrom());
        json.writeFieldName("reporting_mta");
        if (f.reportingMta().isPresent()) {
            json.writeStartObject();
            json.writeStringField("mta_type", f.reportingMta().get().mtaType());
            json.writeStringField("name", f.reportingMta().get().name());
            json.writeEndObject();
        } else {
            json.writeNull();
        }
        string(json, "source_ip", f.sourceIp());
        strings(json, "authentication_results", f.authenticationResults());
        strings(json, "original_rcpt_to", f.originalRcptTo());
        strings(json, "reported_domain", f.reportedDomain());
        strings(json, "reported_uri", f.reportedUri());
        json.writeObjectFieldStart("extensions");
        for (Map.Entry<String, List<String>> e : new TreeMap<>(f.extensions()).entrySet()) {
            strings(json, e.getKey(), e.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String v : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }

    private static void string(JsonGenerator json, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            json.writeStringField(name, value.get());
        } else {
            json.writeNullField(name);
        }
    }

    private static void map(JsonGenerator json, String name, Map<String, String> values) throws IOException {
        json.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : values.entrySet()) {
            json.writeStringField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
    }

    /** KumoMTA writes whole Unix seconds. */
    private static long seconds(Instant instant) {
        return instant.getEpochSecond();
    }
}
