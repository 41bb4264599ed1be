package io.runnel.kernel.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.spool.SpoolException.CorruptEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageMetaCodecTest {
    private final MessageMetaCodec codec = new MessageMetaCodec();
    private final SpoolId.Factory ids = TestMessages.ids();

    @Test
    void metadataWithEveryOptionalPresentRoundTrips() throws Exception {
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        assertThat(codec.decode(meta.id(), codec.encode(meta))).isEqualTo(meta);
    }

    /** What is on disk stays readable by older and newer builds alike: the bytes of one entry, field for field. */
    @Test
    void encodingIsTheStoredFormatByteForByte() {
        String expected = "{\"v\":1,\"id\":\"01a2231972fb7000a3cbe1e459320dd7\",\"received_at\":\"2026-11-28T17:00:00.123456789Z\",\"sender\":[\"\\\"odd local@part\\\"\",\"[192.0.2.1]\"],\"recipients\":[{\"address\":[\"Bob\",\"example.com\"],\"notify\":[\"SUCCESS\",\"DELAY\"],\"orcpt\":\"rfc822;bob@example.com\",\"state\":\"DELIVERED\"},{\"address\":[\"jörg\",\"bücher.example\"],\"notify\":[\"NEVER\"],\"state\":\"FAILED\"},{\"address\":[\"carol\",\"example.org\"],\"notify\":[],\"state\":\"PENDING\"}],\"params\":{\"body\":\"EIGHT_BIT_MIME\",\"smtputf8\":true,\"ret\":\"HDRS\",\"envid\":\"envid-42\"},\"reception\":{\"listener\":\"inbound\",\"peer\":\"2001:db8::1\",\"helo\":\"client.example\",\"protocol\":\"ESMTPSA\",\"auth\":\"alice\",\"tls\":{\"protocol\":\"TLSv1.3\",\"cipher\":\"TLS_AES_256_GCM_SHA384\"}},\"tenant\":\"tenant-a\",\"campaign\":\"spring-sale\",\"attempts\":3,\"due_at\":\"2026-11-28T17:10:00.123456790Z\",\"body_size\":12345,\"last_attempt\":\"2026-11-28T17:01:30.123456789Z\",\"log_headers\":{\"Message-ID\":\"<m1@example.com>\"},\"pool\":\"warmup\",\"metadata\":{\"zone\":\"eu-1\",\"customer_id\":\"42\",\"näme\":\"wert mit ümlaut\"}}";
        assertThat(new String(codec.encode(TestMessages.fullMeta(ids.next())), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void metadataWithEveryOptionalAbsentRoundTrips() throws Exception {
        MessageMeta meta = TestMessages.minimalMeta(ids.next());
        assertThat(codec.decode(meta.id(), codec.encode(meta))).isEqualTo(meta);
    }

    @Test
    void injectionMetadataKeepsItsInsertionOrder() throws Exception {
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        MessageMeta decoded = codec.decode(meta.id(), codec.encode(meta));
        assertThat(decoded.metadata()).containsExactlyEntriesOf(TestMessages.metadata());
        assertThat(List.copyOf(decoded.metadata().keySet())).containsExactly("zone", "customer_id", "näme");
    }

    @Test
    void entryWrittenBeforeMetadataExistedDecodesWithEmptyMetadata() throws Exception {
        // the exact shape version 1 had before injection metadata: no "metadata" object at all
        SpoolId id = ids.next();
        String json = "{\"v\":1,\"id\":\"" + id + "\",\"received_at\":\"2026-03-01T12:00:00Z\","
                + "\"sender\":[\"a\",\"example.org\"],\"recipients\":[{\"address\":[\"b\",\"example.net\"],"
                + "\"notify\":[],\"state\":\"PENDING\"}],\"params\":{\"body\":\"SEVEN_BIT\",\"smtputf8\":false},"
                + "\"reception\":{\"listener\":\"inbound\",\"peer\":\"192.0.2.7\",\"helo\":\"h\",\"protocol\":\"ESMTP\"},"
                + "\"tenant\":\"t\",\"attempts\":0,\"due_at\":\"2026-03-01T12:00:00Z\",\"body_size\":10,"
                + "\"log_headers\":{\"Subject\":\"hi\"}}";
        MessageMeta meta = codec.decode(id, json.getBytes(StandardCharsets.UTF_8));
        assertThat(meta.metadata()).isEmpty();
        assertThat(meta.tenant()).contains("t");
        assertThat(meta.logHeaders()).containsEntry("Subject", "hi");
    }

    @Test
    void metadataThatIsNotAnObjectOfStringsIsACorruptEntry() {
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        String json = new String(codec.encode(meta), StandardCharsets.UTF_8);
        for (String broken : new String[] {
                json.replace("\"customer_id\":\"42\"", "\"customer_id\":42"),
                json.replaceFirst("\"metadata\":\\{[^}]*}", "\"metadata\":[]")}) {
            assertThat(broken).isNotEqualTo(json);
            assertThatThrownBy(() -> codec.decode(meta.id(), broken.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(CorruptEntry.class);
        }
    }

    @Test
    void encodingCarriesTheFormatVersionAndLeavesAbsentOptionalsOut() {
        String json = new String(codec.encode(TestMessages.minimalMeta(ids.next())), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"v\":1,").doesNotContain("tenant", "tls", "null", "metadata");
    }

    @Test
    void garbageIsACorruptEntryNamingTheKey() {
        SpoolId id = ids.next();
        assertThatThrownBy(() -> codec.decode(id, new byte[] {0, 1, 2, (byte) 0xFF}))
                .isInstanceOfSatisfying(CorruptEntry.class, e -> assertThat(e.id()).isEqualTo(id));
        assertThatThrownBy(() -> codec.decode(id, new byte[0])).isInstanceOf(CorruptEntry.class);
    }

    @Test
    void unknownVersionIsACorruptEntry() {
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        String json = new String(codec.encode(meta), StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":2");
        assertThatThrownBy(() -> codec.decode(meta.id(), json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptEntry.class).hasMessageContaining("undecodable");
    }

    @Test
    void missingOrMistypedFieldIsACorruptEntry() {
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        String json = new String(codec.encode(meta), StandardCharsets.UTF_8);
        for (String broken : new String[] {
                json.replace("\"attempts\":3,", ""),
                json.replace("\"attempts\":3", "\"attempts\":\"3\""),
                json.replace("\"DELIVERED\"", "\"LOST\""),
                json.replace("\"smtputf8\":true", "\"smtputf8\":1")}) {
            assertThat(broken).isNotEqualTo(json);
            assertThatThrownBy(() -> codec.decode(meta.id(), broken.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(CorruptEntry.class);
        }
    }

    @Test
    void metadataStoredUnderAnotherKeyIsACorruptEntry() {
        MessageMeta meta = TestMessages.fullMeta(ids.next());
        SpoolId other = ids.next();
        assertThatThrownBy(() -> codec.decode(other, codec.encode(meta)))
                .isInstanceOfSatisfying(CorruptEntry.class, e -> assertThat(e.id()).isEqualTo(other));
    }
}
