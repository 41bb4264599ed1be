package io.runnel.kernel.report;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * A received report message taken apart: its top-level content type and every leaf part in order, each decoded
 * from its transfer encoding. Nested {@code message/rfc822} parts are kept whole (as the returned message), not
 * descended into. Malformed MIME degrades to fewer parts, never to an exception.
 */
record MimeParts(String topType, Optional<String> reportType, List<Leaf> leaves) {

    /** One part: lower-case {@code type/subtype} and its decoded bytes. */
    record Leaf(String type, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }

        String text(Charset charset) {
            return new String(content, charset);
        }
    }

    private static final Session SESSION = Session.getInstance(new Properties());
    /** Bounds the work on hostile nesting. */
    private static final int MAX_DEPTH = 8;
    private static final int MAX_PARTS = 64;

    static MimeParts of(byte[] message) {
        try {
            MimeMessage mime = new MimeMessage(SESSION, new ByteArrayInputStream(message, headerStart(message),
                    message.length - headerStart(message)));
            ContentType type = contentType(mime);
            List<Leaf> leaves = new ArrayList<>();
            collect(mime, 0, leaves);
            return new MimeParts(base(type), Optional.ofNullable(type.getParameter("report-type"))
                    .map(t -> t.toLowerCase(Locale.ROOT)), leaves);
        } catch (MessagingException | IOException | RuntimeException e) {
            // not MIME at all: the whole thing is one plain-text part
            return new MimeParts("text/plain", Optional.empty(), List.of(new Leaf("text/plain", message)));
        }
    }

    /** Skips an mbox {@code "From "} separator line, which is not a header field and would hide the real ones. */
    private static int headerStart(byte[] message) {
        if (message.length > 5 && message[0] == 'F' && message[1] == 'r' && message[2] == 'o' && message[3] == 'm'
                && message[4] == ' ') {
            for (int i = 5; i < message.length; i++) {
                if (message[i] == '\n') {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    /** The first leaf of {@code type}, if any. */
    Optional<Leaf> first(String type) {
        return leaves.stream().filter(l -> l.type().equals(type)).findFirst();
    }

    private static void collect(Part part, int depth, List<Leaf> out) throws MessagingException, IOException {
        if (out.size() >= MAX_PARTS) {
            return;
        }
        String type = base(contentType(part));
        if (type.startsWith("multipart/") && depth < MAX_DEPTH) {
            Object content;
            try {
                content = part.getContent();
            } catch (MessagingException | IOException e) {
                out.add(new Leaf("text/plain", raw(part)));
                return;
            }
            if (content instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    collect(child, depth + 1, out);
                }
                return;
            }
        }
        out.add(new Leaf(type, decoded(part)));
    }

    private static byte[] decoded(Part part) throws MessagingException {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException | MessagingException | RuntimeException e) {
            return raw(part); // an unknown transfer encoding: keep the raw bytes rather than nothing
        }
    }

    private static byte[] raw(Part part) throws MessagingException {
        try (InputStream in = part instanceof MimeMessage m ? m.getRawInputStream()
                : ((jakarta.mail.internet.MimeBodyPart) part).getRawInputStream()) {
            return in.readAllBytes();
        } catch (IOException | ClassCastException e) {
            return new byte[0];
        }
    }

    private static ContentType contentType(Part part) {
        try {
            String header = part.getContentType();
            return new ContentType(header == null ? "text/plain" : header);
        } catch (MessagingException | RuntimeException e) {
            return new ContentType("text", "plain", null);
        }
    }

    private static String base(ContentType type) {
        return type.getBaseType().toLowerCase(Locale.ROOT);
    }
}
