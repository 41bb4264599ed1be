package io.runnel.kernel.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.spool.SpoolException.CorruptEntry;
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
        ObjectNode root = mapper.createObjectNode();
        root.put("v", VERSION);
        root.put("id", meta.id().toString());
        root.put("received_at", meta.receivedAt().toString());
        root.set("sender", address(meta.sender()));
        ArrayNode recipients = root.putArray("recipients");
        for (Recipient recipient : meta.recipients()) {
            recipients.add(recipient(recipient));
        }
        root.set("params", parameters(meta.parameters()));
        root.set("reception", reception(meta.reception()));
        meta.tenant().ifPresent(tenant -> root.put("tenant", tenant));
        meta.campaign().ifPresent(campaign -> root.put("campaign", campaign));
        root.put("attempts", meta.attempts());
        root.put("due_at", meta.dueAt().toString());
        root.put("body_size", meta.bodySize());
        meta.lastAttempt().ifPresent(at -> root.put("last_attempt", at.toString()));
        if (!meta.logHeaders().isEmpty()) {
            ObjectNode headers = root.putObject("log_headers");
            meta.logHeaders().forEach(headers::put);
        }
        meta.pool().ifPresent(pool -> root.put("pool", pool));
        if (!meta.metadata().isEmpty()) {
            ObjectNode metadata = root.putObject("metadata");
            meta.metadata().forEach(metadata::put);
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a JSON tree in memory", e);
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

    private ArrayNode address(EmailAddress address) {
        return mapper.createArrayNode().add(address.localPart()).add(address.domain());
    }

    private static EmailAddress address(JsonNode node) {
        if (!node.isArray() || node.size() != 2 || !node.get(0).isTextual() || !node.get(1).isTextual()) {
            throw new IllegalArgumentException("address must be [local, domain]");
        }
        return new EmailAddress(node.get(0).textValue(), node.get(1).textValue());
    }

    private ObjectNode recipient(Recipient recipient) {
        ObjectNode node = mapper.createObjectNode();
        node.set("address", address(recipient.address()));
        ArrayNode notify = node.putArray("notify");
        // sorted so equal metadata encodes to equal bytes
        for (Recipient.DsnNotify option : sorted(recipient.notifyOn())) {
            notify.add(option.name());
        }
        recipient.originalRecipient().ifPresent(orcpt -> node.put("orcpt", orcpt));
        node.put("state", recipient.state().name());
        return node;
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

    private ObjectNode parameters(MailParameters parameters) {
        ObjectNode node = mapper.createObjectNode();
        node.put("body", parameters.body().name());
        node.put("smtputf8", parameters.smtpUtf8());
        parameters.ret().ifPresent(ret -> node.put("ret", ret.name()));
        parameters.envelopeId().ifPresent(envid -> node.put("envid", envid));
        return node;
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

    private ObjectNode reception(ReceptionFacts reception) {
        ObjectNode node = mapper.createObjectNode();
        node.put("listener", reception.listener());
        node.put("peer", reception.peerAddress());
        node.put("helo", reception.helo());
        node.put("protocol", reception.protocol());
        reception.authIdentity().ifPresent(auth -> node.put("auth", auth));
        reception.tls().ifPresent(tls -> node.putObject("tls")
                .put("protocol", tls.protocol())
                .put("cipher", tls.cipher()));
        return node;
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
