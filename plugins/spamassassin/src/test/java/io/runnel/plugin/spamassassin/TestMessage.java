package io.runnel.plugin.spamassassin;

import io.runnel.api.mail.HeaderField;
import io.runnel.api.mail.MessageView;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A {@link MessageView} in memory (test only). */
record TestMessage(List<HeaderField> headers, byte[] body) implements MessageView {

    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    static TestMessage of(String subject, String body) {
        return new TestMessage(List.of(
                HeaderField.of("Received", "from mail.example.com (mail.example.com [192.0.2.1])\r\n"
                        + "\tby mx.example.org with ESMTP id 4f2a; Fri, 28 Nov 2025 10:00:00 +0000"),
                HeaderField.of("From", "Alice <alice@example.com>"),
                HeaderField.of("To", "Bob <bob@example.org>"),
                HeaderField.of("Subject", subject),
                HeaderField.of("Date", "Fri, 28 Nov 2025 10:00:00 +0000"),
                HeaderField.of("Message-ID", "<20251128100000.4f2a@example.com>")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    static TestMessage gtube() {
        return of("Test spam", "This is the GTUBE, the\r\nGeneric Test for Unsolicited Bulk Email\r\n\r\n"
                + GTUBE + "\r\n");
    }

    static TestMessage normal() {
        return of("Lunch on Thursday", "Hi Bob,\r\n\r\nare we still on for lunch on Thursday at noon?\r\n\r\nAlice\r\n");
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
