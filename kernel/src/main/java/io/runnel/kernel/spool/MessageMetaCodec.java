package io.runnel.kernel.spool;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.spool.SpoolException.CorruptEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link MessageMeta} as compact JSON. The mapping is written out field by field so renaming a Java component
 * never silently changes what is on disk; {@code "v"} is the format version, bumped on incompatible changes.
 * Absent optionals are left out. Instants are ISO-8601 strings, which keep every digit of precision.
 * Addresses are {@code [local, domain]} pairs, so they round-trip without re-parsing.
 */
final class MessageMetaCodec {
    static final int VERSION = 1;

    private final ObjectMapper mapper = new ObjectMapper();

    byte[] encode(MessageMeta meta) {
        // streamed rather than built as a tree: reception and every attempt encode, so no node per field
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("v", VERSION);
            json.writeStringField("id", meta.id().toString());
            json.writeStringField("received_at", meta.receivedAt().toString());
            json.writeFieldName("sender");
            address(json, meta.sender());
            json.writeArrayFieldStart("recipients");
            for (Recipient recipient : meta.recipients()) {
                recipient(json, recipient);
            }
            json.writeEndArray();
            parameters(json, meta.parameters());
            reception(json, meta.reception());
            optional(json, "tenant", meta.tenant());
            optional(json, "campaign", meta.campaign());
            json.writeNumberField("attempts", meta.attempts());
            json.writeStringField("due_at", meta.dueAt().toString());
            json.writeNumberField("body_size", meta.bodySize());
            optional(json, "last_attempt", meta.lastAttempt().map(Instant::toString));
            stringMap(json, "log_headers", meta.logHeaders());
            optional(json, "pool", meta.pool());
            stringMap(json, "metadata", meta.metadata());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode JSON in memory", e);
        }
        return out.toByteArray();
    }

    private static void optional(JsonGenerator json, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            json.writeStringField(name, value.get());
        }
    }

    /** Left out when empty. */
    private static void stringMap(JsonGenerator json, String name, Map<String, String> map) throws IOException {
        if (!map.isEmpty()) {
            json.writeObjectFieldStart(name);
            for (Map.Entry<String, String> entry : map.entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
        }
    }

    /** Decodes what {@link #encode} wrote under {@code key}; anything else is a {@link CorruptEntry}. */
    MessageMeta decode(SpoolId key, byte[] bytes) throws CorruptEntry {
        MessageMeta meta;
        try {
            JsonNode root = mapper.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            int version = integer(root, "v");
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown metadata version " + version);
            }
            meta = meta(root);
        } catch (IOException | RuntimeException e) {
            // bytes from disk: any failure to read them, including a record constructor refusing a value,
            // means the entry is unusable
            throw new CorruptEntry(key, "undecodable metadata", e);
        }
        if (!meta.id().equals(key)) {
            throw new CorruptEntry(key, "metadata names another id: " + meta.id(), null);
        }
        return meta;
    }

    private MessageMeta meta(JsonNode root) {
        List<Recipient> recipients = new ArrayList<>();
        for (JsonNode recipient : array(root, "recipients")) {
            recipients.add(recipient(recipient));
        }
        return new MessageMeta(
                SpoolId.parse(text(root, "id")),
                Instant.parse(text(root, "received_at")),
                address(field(root, "sender")),
                recipients,
                parameters(field(root, "params")),
                reception(field(root, "reception")),
                optionalText(root, "tenant"),
                optionalText(root, "campaign"),
                integer(root, "attempts"),
                Instant.parse(text(root, "due_at")),
                longInteger(root, "body_size"),
                optionalText(root, "last_attempt").map(Instant::parse),
                stringMap(root, "log_headers"),
                optionalText(root, "pool"),
                stringMap(root, "metadata"));
    }

    /**
     * A JSON object of strings, in stored order; empty when absent, as in entries written before {@code [log] headers}
     * ({@code log_headers}) or injection metadata ({@code metadata}) existed.
     */
    private static Map<String, String> stringMap(JsonNode root, String name) {
        Map<String, String> map = new LinkedHashMap<>();
        JsonNode node = root.get(name);
        if (node != null) {
            if (!node.isObject()) {
                throw new IllegalArgumentException(name + " must be an object");
            }
            node.fields().forEachRemaining(e -> map.put(e.getKey(), text(node, e.getKey())));
        }
        return map;
    }

    private static void address(JsonGenerator json, EmailAddress address) throws IOException {
        json.writeStartArray();
        json.writeString(address.localPart());
        json.writeString(address.domain());
        json.writeEndArray();
    }

    private static EmailAddress address(JsonNode node) {
        if (!node.isArray() || node.size() != 2 || !node.get(0).isTextual() || !node.get(1).isTextual()) {
            throw new IllegalArgumentException("address must be [local, domain]");
        }
        return new EmailAddress(node.get(0).textValue(), node.get(1).textValue());
    }

    private static void recipient(JsonGenerator json, Recipient recipient) throws IOException {
        json.writeStartObject();
        json.writeFieldName("address");
        address(json, recipient.address());
        json.writeArrayFieldStart("notify");
        // sorted so equal metadata encodes to equal bytes
        for (Recipient.DsnNotify option : sorted(recipient.notifyOn())) {
            json.writeString(option.name());
        }
        json.writeEndArray();
        optional(json, "orcpt", recipient.originalRecipient());
        json.writeStringField("state", recipient.state().name());
        json.writeEndObject();
    }

    private static Recipient recipient(JsonNode node) {
        Set<Recipient.DsnNotify> notify = EnumSet.noneOf(Recipient.DsnNotify.class);
        for (JsonNode option : array(node, "notify")) {
            if (!option.isTextual()) {
                throw new IllegalArgumentException("notify options must be strings");
            }
            notify.add(Recipient.DsnNotify.valueOf(option.textValue()));
        }
        return new Recipient(address(field(node, "address")), notify, optionalText(node, "orcpt"),
                Recipient.RecipientState.valueOf(text(node, "state")));
    }

    private static void parameters(JsonGenerator json, MailParameters parameters) throws IOException {
        json.writeObjectFieldStart("params");
        json.writeStringField("body", parameters.body().name());
        json.writeBooleanField("smtputf8", parameters.smtpUtf8());
        optional(json, "ret", parameters.ret().map(Enum::name));
        optional(json, "envid", parameters.envelopeId());
        json.writeEndObject();
    }

    private static MailParameters parameters(JsonNode node) {
        JsonNode smtpUtf8 = field(node, "smtputf8");
        if (!smtpUtf8.isBoolean()) {
            throw new IllegalArgumentException("smtputf8 must be a boolean");
        }
        return new MailParameters(
                MailParameters.BodyType.valueOf(text(node, "body")),
                smtpUtf8.booleanValue(),
                optionalText(node, "ret").map(MailParameters.DsnReturn::valueOf),
                optionalText(node, "envid"));
    }

    private static void reception(JsonGenerator json, ReceptionFacts reception) throws IOException {
        json.writeObjectFieldStart("reception");
        json.writeStringField("listener", reception.listener());
        json.writeStringField("peer", reception.peerAddress());
        json.writeStringField("helo", reception.helo());
        json.writeStringField("protocol", reception.protocol());
        optional(json, "auth", reception.authIdentity());
        if (reception.tls().isPresent()) {
            json.writeObjectFieldStart("tls");
            json.writeStringField("protocol", reception.tls().get().protocol());
            json.writeStringField("cipher", reception.tls().get().cipher());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static ReceptionFacts reception(JsonNode node) {
        Optional<ReceptionFacts.TlsFacts> tls = Optional.ofNullable(node.get("tls"))
                .map(t -> new ReceptionFacts.TlsFacts(text(t, "protocol"), text(t, "cipher")));
        return new ReceptionFacts(text(node, "listener"), text(node, "peer"), text(node, "helo"),
                text(node, "protocol"), optionalText(node, "auth"), tls);
    }

    private static List<Recipient.DsnNotify> sorted(Set<Recipient.DsnNotify> options) {
        return options.stream().sorted().toList();
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field " + name);
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return value.textValue();
    }

    private static Optional<String> optionalText(JsonNode node, String name) {
        return node.has(name) ? Optional.of(text(node, name)) : Optional.empty();
    }

    private static int integer(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException(name + " must be an int");
        }
        return value.intValue();
    }

    private static long longInteger(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(name + " must be a long");
        }
        return value.longValue();
    }

    private static JsonNode array(JsonNode node, String name) {
        JsonNode value = field(node, name);
        if (!value.isArray()) {
            throw new IllegalArgumentException(name + " must be an array");
        }
        return value;
    }
}
