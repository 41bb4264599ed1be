package io.runnel.kernel.grpc;

import io.runnel.grpc.v1.ComposedMessage;
import io.runnel.grpc.v1.Header;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Turns injected content into an RFC 5322 message with CRLF line endings: raw content is normalised, composed
 * messages are built (MIME, base64 bodies, RFC 2047 encoded words for non-ASCII headers, Date and Message-ID).
 */
final class MessageAssembly {

    private static final Base64.Encoder MIME_BASE64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));

    private MessageAssembly() {
    }

    /** Raw content with every line ending made CRLF and a final CRLF. */
    static byte[] normalize(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 50 + 2);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < raw.length && raw[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length < 2 || bytes[bytes.length - 2] != '\r' || bytes[bytes.length - 1] != '\n') {
            out.write('\r');
            out.write('\n');
            bytes = out.toByteArray();
        }
        return bytes;
    }

    /** A header field to put in front of a message, e.g. the tenant header. */
    static byte[] field(String name, String value) {
        return (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] compose(ComposedMessage m, String hostname, ZonedDateTime now, RandomGenerator random) {
        if (m.getTextBody().isEmpty() && m.getHtmlBody().isEmpty()) {
            throw GrpcErrors.invalid("composed: give text_body, html_body or both");
        }
        StringBuilder h = new StringBuilder();
        header(h, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(now));
        header(h, "From", m.getFrom());
        if (m.getToCount() > 0) {
            header(h, "To", String.join(", ", m.getToList()));
        }
        if (m.getCcCount() > 0) {
            header(h, "Cc", String.join(", ", m.getCcList()));
        }
        if (!m.getReplyTo().isEmpty()) {
            header(h, "Reply-To", m.getReplyTo());
        }
        header(h, "Subject", encodeWord(m.getSubject()));
        byte[] idBytes = new byte[12];
        random.nextBytes(idBytes);
        header(h, "Message-ID", "<" + HexFormat.of().formatHex(idBytes) + "@" + hostname + ">");
        for (Header extra : m.getHeadersList()) {
            if (!extra.getName().matches("[!-9;-~]+")) {
                throw GrpcErrors.invalid("composed: bad header name \"" + extra.getName() + "\"");
            }
            if (extra.getValue().contains("\r") || extra.getValue().contains("\n")) {
                throw GrpcErrors.invalid("composed: header " + extra.getName() + " must be one line");
            }
            header(h, extra.getName(), encodeWord(extra.getValue()));
        }
        header(h, "MIME-Version", "1.0");
        if (!m.getTextBody().isEmpty() && !m.getHtmlBody().isEmpty()) {
            byte[] boundaryBytes = new byte[12];
            random.nextBytes(boundaryBytes);
            String boundary = "=_runnel_" + HexFormat.of().formatHex(boundaryBytes);
            header(h, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
            h.append("\r\n");
            for (String[] part : List.of(new String[] {"text/plain", m.getTextBody()}, new String[] {"text/html", m.getHtmlBody()})) {
                h.append("--").append(boundary).append("\r\n");
                part(h, part[0], part[1]);
                h.append("\r\n");
            }
            h.append("--").append(boundary).append("--\r\n");
        } else {
            boolean text = !m.getTextBody().isEmpty();
            part(h, text ? "text/plain" : "text/html", text ? m.getTextBody() : m.getHtmlBody());
        }
        return h.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void part(StringBuilder out, String type, String body) {
        header(out, "Content-Type", type + "; charset=UTF-8");
        header(out, "Content-Transfer-Encoding", "base64");
        out.append("\r\n").append(MIME_BASE64.encodeToString(body.getBytes(StandardCharsets.UTF_8))).append("\r\n");
    }

    private static void header(StringBuilder out, String name, String value) {
        if (value.contains("\r") || value.contains("\n")) {
            throw GrpcErrors.invalid("composed: " + name + " must be one line");
        }
        out.append(name).append(": ").append(value).append("\r\n");
    }

    /** RFC 2047 B-encoding for text with non-ASCII characters; ASCII passes unchanged. */
    static String encodeWord(String text) {
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return text;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
