package io.runnel.kernel.spool;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.Recipient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/** Metadata and bodies for spool tests. */
final class TestMessages {
    static final Instant RECEIVED = Instant.parse("2026-11-28T17:00:00.123456789Z");

    private TestMessages() {
    }

    static SpoolId.Factory ids() {
        return new SpoolId.Factory(Clock.fixed(RECEIVED, ZoneOffset.UTC), new SplittableRandom(7));
    }

    /** Every optional present, every enum away from its first constant. */
    static MessageMeta fullMeta(SpoolId id) {
        return new MessageMeta(
                id,
                RECEIVED,
                new EmailAddress("\"odd local@part\"", "[192.0.2.1]"),
                List.of(
                        new Recipient(EmailAddress.parse("Bob@Example.com"),
                                Set.of(Recipient.DsnNotify.SUCCESS, Recipient.DsnNotify.DELAY),
                                Optional.of("rfc822;bob@example.com"), Recipient.RecipientState.DELIVERED),
                        new Recipient(EmailAddress.parse("jörg@bücher.example"), Set.of(Recipient.DsnNotify.NEVER),
                                Optional.empty(), Recipient.RecipientState.FAILED),
                        Recipient.pending(EmailAddress.parse("carol@example.org"), Set.of(), Optional.empty())),
                new MailParameters(MailParameters.BodyType.EIGHT_BIT_MIME, true,
                        Optional.of(MailParameters.DsnReturn.HDRS), Optional.of("envid-42")),
                new ReceptionFacts("inbound", "2001:db8::1", "client.example", "ESMTPSA",
                        Optional.of("alice"), Optional.of(new ReceptionFacts.TlsFacts("TLSv1.3", "TLS_AES_256_GCM_SHA384"))),
                Optional.of("tenant-a"),
                Optional.of("spring-sale"),
                3,
                RECEIVED.plusSeconds(600).plusNanos(1),
                12_345, Optional.of(RECEIVED.plusSeconds(90)),
                Map.of("Message-ID", "<m1@example.com>"),
                Optional.of("warmup"),
                metadata());
    }

    /** Injection metadata whose insertion order differs from key order. */
    static Map<String, String> metadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zone", "eu-1");
        metadata.put("customer_id", "42");
        metadata.put("näme", "wert mit ümlaut");
        return metadata;
    }

    /** Every optional absent; the null sender. */
    static MessageMeta minimalMeta(SpoolId id) {
        return new MessageMeta(
                id,
                RECEIVED,
                EmailAddress.NULL_SENDER,
                List.of(Recipient.pending(EmailAddress.parse("postmaster@example.net"), Set.of(), Optional.empty())),
                new MailParameters(MailParameters.BodyType.SEVEN_BIT, false, Optional.empty(), Optional.empty()),
                new ReceptionFacts("inbound", "192.0.2.7", "helo", "SMTP", Optional.empty(), Optional.empty()),
                Optional.empty(),
                Optional.empty(),
                0,
                RECEIVED,
                0, Optional.empty());
    }

    /** Header and body lines with CR LF, then every byte value 0x00..0xFF. */
    static byte[] awkwardBody() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Subject: test\r\n\r\n.leading dot\r\nbare\nlf\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int b = 0; b <= 0xFF; b++) {
            out.write(b);
        }
        out.writeBytes("\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] bodyOf(String text) {
        return ("Subject: " + text + "\r\n\r\n" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bodyOfSize(int size, int seed) {
        byte[] body = new byte[size];
        new SplittableRandom(seed).nextBytes(body);
        return body;
    }

    /** A direct buffer, like the ones the SMTP layer hands over, with a reader index past 0 to prove it is honoured. */
    static ByteBuf buffer(byte[] content) {
        ByteBuf buf = Unpooled.directBuffer(content.length + 3);
        buf.writeBytes(new byte[] {'x', 'y', 'z'});
        buf.readerIndex(3);
        buf.writeBytes(content);
        return buf;
    }
}
