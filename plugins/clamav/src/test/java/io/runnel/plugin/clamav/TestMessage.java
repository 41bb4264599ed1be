package io.runnel.plugin.clamav;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.mail.MessageView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Messages for tests: header fields plus a body in memory. */
record TestMessage(List<HeaderField> headers, byte[] body) implements MessageView {

    /** The EICAR anti-virus test file, 68 bytes. */
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    static TestMessage plain(String body) {
        return new TestMessage(List.of(HeaderField.of("From", "alice@example.com"),
                HeaderField.of("To", "bob@example.org"), HeaderField.of("Subject", "hello")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A multipart/mixed message whose second part is a base64 attachment with exactly the given content. */
    static TestMessage withAttachment(byte[] content) {
        String body = "--BOUNDARY\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "See the attachment.\r\n"
                + "--BOUNDARY\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=\"file.com\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(content) + "\r\n"
                + "--BOUNDARY--\r\n";
        return new TestMessage(List.of(HeaderField.of("From", "alice@example.com"),
                HeaderField.of("To", "bob@example.org"), HeaderField.of("Subject", "attachment"),
                HeaderField.of("MIME-Version", "1.0"),
                HeaderField.of("Content-Type", "multipart/mixed; boundary=\"BOUNDARY\"")),
                body.getBytes(StandardCharsets.US_ASCII));
    }

    /** The bytes clamd is meant to receive: headers raw, CRLF, body. */
    byte[] toBytes() throws IOException {
        return openMessage().readAllBytes();
    }

    @Override
    public InputStream openBody() {
        return new ByteArrayInputStream(body);
    }

    @Override
    public long bodySize() {
        return body.length;
    }
}
