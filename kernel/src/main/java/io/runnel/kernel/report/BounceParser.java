package io.runnel.kernel.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an inbound bounce: an RFC 3464 {@code multipart/report; report-type=delivery-status} (one failed recipient
 * per {@code Action: failed} block, or {@code delayed}: a DSN that says it gave up is "failed"), else a plain-text
 * notice ({@link PlainTextBounce}). Also returns the original message's headers, for tying the bounce back.
 */
public final class BounceParser {

    private BounceParser() {
    }

    /**
     * What a bounce says.
     *
     * @param recipients the failed recipients; empty when the message is not a bounce this parser understands
     * @param returned   the returned original's header fields, {@link ReturnedHeaders#NONE} when it has none
     * @param explanation the human-readable notice, returned copy cut off
     */
    public record Bounce(List<FailedRecipient> recipients, ReturnedHeaders returned, String explanation) {
        public Bounce {
            recipients = List.copyOf(recipients);
        }
    }

    public static Bounce parse(byte[] message) {
        return parse(MimeParts.of(message), message);
    }

    static Bounce parse(MimeParts parts, byte[] message) {
        ReturnedHeaders returned = returned(parts);
        Optional<MimeParts.Leaf> status = parts.leaves().stream()
                .filter(l -> l.type().equals("message/delivery-status") || l.type().equals("message/global-delivery-status")
                        || l.type().equals("text/delivery-status"))
                .findFirst();
        if (status.isPresent()) {
            List<FailedRecipient> failed = fromStatus(status.get().text(), humanText(parts));
            if (!failed.isEmpty() || isDsn(parts)) {
                String human = humanText(parts);
                return new Bounce(failed, returned, human.substring(0, PlainTextBounce.explanationEnd(human)));
            }
        }
        ReturnedHeaders top = ReturnedHeaders.parse(new String(message, StandardCharsets.ISO_8859_1));
        String text = humanText(parts);
        int end = PlainTextBounce.explanationEnd(text);
        if (returned.fields().isEmpty() && end < text.length()) {
            returned = ReturnedHeaders.parse(text.substring(end).replaceFirst("^[^\\n]*\\n", ""));
        }
        Set<String> exclude = new HashSet<>();
        for (String field : List.of("from", "to", "return-path", "sender", "reply-to")) {
            top.get(field).ifPresent(v -> exclude.addAll(addresses(v)));
        }
        List<String> known = top.get("x-failed-recipients").map(BounceParser::addresses).orElse(List.of());
        String explanation = text.substring(0, end);
        if (SES_DELIVERY.matcher(explanation).find()) {
            return new Bounce(List.of(), returned, explanation); // Amazon SES (via SNS) telling of a success
        }
        List<FailedRecipient> failed = PlainTextBounce.recipients(explanation, known, exclude);
        if (failed.isEmpty()) {
            failed = embeddedStatus(text, explanation);
        }
        return new Bounce(failed, returned, explanation);
    }

    private static final Pattern SES_DELIVERY = Pattern.compile("\"notificationType\"\\s*:\\s*\"Delivery\"");
    private static final Pattern STATUS_FIELDS = Pattern.compile("(?im)^(?:reporting-mta|final-recipient)[ \\t]*:");

    /**
     * A DSN whose MIME structure was lost (no Content-Type on the message, parts glued as text) still carries its
     * delivery-status fields as lines of the text: read them from there.
     */
    private static List<FailedRecipient> embeddedStatus(String text, String explanation) {
        Matcher fields = STATUS_FIELDS.matcher(text);
        return fields.find() ? fromStatus(text.substring(fields.start()), explanation) : List.of();
    }

    private static boolean isDsn(MimeParts parts) {
        return parts.reportType().map(t -> t.equals("delivery-status")).orElse(false);
    }

    private static List<FailedRecipient> fromStatus(String fields, String human) {
        List<FailedRecipient> out = new ArrayList<>();
        List<Map<String, String>> blocks = DeliveryStatus.recipientBlocks(fields);
        List<String> all = blocks.stream()
                .map(b -> DeliveryStatus.address(b.get("final-recipient")).or(() -> DeliveryStatus.address(b.get("original-recipient"))))
                .flatMap(Optional::stream).toList();
        for (Map<String, String> block : blocks) {
            String action = block.getOrDefault("action", "failed").toLowerCase(Locale.ROOT).strip();
            if (!action.startsWith("failed") && !action.startsWith("delayed") && !action.startsWith("expired")) {
                continue; // delivered, relayed, expanded: not a failure ("expired" is SendGrid's word for a give-up)
            }
            Optional<String> recipient = DeliveryStatus.address(block.get("final-recipient"))
                    .or(() -> DeliveryStatus.address(block.get("original-recipient")));
            if (recipient.isEmpty()) {
                continue;
            }
            Optional<String> remote = Optional.ofNullable(block.get("remote-mta")).map(v -> v.replaceFirst("^(?i)dns\\s*;\\s*", ""));
            String diagnostic = block.getOrDefault("diagnostic-code", "");
            if (diagnostic.replaceFirst("^(?i)[a-z0-9-]+\\s*;", "").chars().noneMatch(Character::isLetter)) {
                // absent, "smtp;" and nothing, or only a program's exit status ("X-Unix; 71"): the notice says more
                diagnostic = nearby(human, recipient.get(), all);
            }
            out.add(Diagnostics.recipient(recipient.get(), diagnostic, Diagnostics.parse(block.getOrDefault("status", "")),
                    remote));
        }
        return out;
    }

    /**
     * Without a Diagnostic-Code, what the notice says about the address (or all of it): the text after the address,
     * up to the next of the report's other recipients.
     */
    private static String nearby(String human, String recipient, List<String> recipients) {
        String explanation = human.substring(0, PlainTextBounce.explanationEnd(human));
        return PlainTextBounce.recipients(explanation, recipients, Set.of()).stream()
                .filter(r -> r.recipient().equalsIgnoreCase(recipient))
                .findFirst()
                .map(r -> String.join(" ", r.code().map(String::valueOf).orElse(""), r.status().map(Object::toString).orElse(""),
                        r.diagnostic()).strip())
                .orElse(explanation);
    }

    /** The human-readable text: the text parts before the report/returned parts, or the whole text. */
    private static String humanText(MimeParts parts) {
        StringBuilder text = new StringBuilder();
        for (MimeParts.Leaf leaf : parts.leaves()) {
            if (leaf.type().startsWith("message/") || leaf.type().equals("text/rfc822-headers")) {
                break;
            }
            if (leaf.type().equals("text/plain") || leaf.type().equals("text/html")) {
                String t = leaf.text();
                text.append(leaf.type().equals("text/html") ? t.replaceAll("<[^>]*>", " ") : t).append('\n');
            }
        }
        return text.toString().replace("\r\n", "\n");
    }

    private static ReturnedHeaders returned(MimeParts parts) {
        return parts.leaves().stream()
                .filter(l -> l.type().equals("message/rfc822") || l.type().equals("text/rfc822-headers")
                        || l.type().equals("message/rfc822-headers") || l.type().equals("message/global")
                        || l.type().equals("message/global-headers"))
                .findFirst()
                .map(l -> ReturnedHeaders.parse(l.text()))
                .orElse(ReturnedHeaders.NONE);
    }

    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        for (String piece : value.split("[,;\\s]+")) {
            String p = piece.replaceAll("^.*<|>.*$", "").strip();
            if (p.contains("@")) {
                out.add(p.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
