package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.runnel.api.mail.HeaderField;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any message the signer is handed: its header fields through both header canonicalisations and the From-domain
 * lookup, its body through both body canonicalisations. Relaxed header output is one CRLF-terminated line and
 * canonicalising it again changes nothing; a body hashes the same whole or fed a byte at a time. Seeds: real signed
 * messages from shared/testdata/dkim ({@code DkimCanonicalizationFuzzTestInputs/message/}).
 */
class DkimCanonicalizationFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void message(byte[] message) throws IOException {
        int split = indexOf(message, new byte[] {'\r', '\n', '\r', '\n'});
        int bodyStart = split < 0 ? message.length : split + 4;
        List<HeaderField> fields = new ArrayList<>();
        for (byte[] raw : fields(Arrays.copyOf(message, split < 0 ? message.length : split + 2))) {
            assertThat(HeaderCanonicalizer.canonicalize(Canonicalization.SIMPLE, raw)).isEqualTo(raw);
            int colon = indexOf(raw, new byte[] {':'});
            if (colon < 0) {
                assertThatThrownBy(() -> HeaderCanonicalizer.canonicalize(Canonicalization.RELAXED, raw))
                        .isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            int lineEnd = indexOf(raw, new byte[] {'\n'});
            if (lineEnd >= 0 && lineEnd < colon) {
                continue; // no "name:" on the field's first line: reception ends the header block there
            }
            byte[] relaxed = HeaderCanonicalizer.canonicalize(Canonicalization.RELAXED, raw);
            assertThat(indexOf(relaxed, new byte[] {'\r', '\n'})).isEqualTo(relaxed.length - 2);
            assertThat(HeaderCanonicalizer.canonicalize(Canonicalization.RELAXED, relaxed)).isEqualTo(relaxed);
            String name = new String(raw, 0, colon, java.nio.charset.StandardCharsets.ISO_8859_1).strip();
            if (!name.isEmpty()) {
                fields.add(new HeaderField(name, raw));
            }
        }
        FromDomain.of(fields).ifPresent(domain -> assertThat(domain).isNotEmpty().doesNotContain("@"));
        byte[] body = Arrays.copyOfRange(message, bodyStart, message.length);
        for (Canonicalization mode : Canonicalization.values()) {
            byte[] whole = BodyHasher.hash(mode, new ByteArrayInputStream(body));
            BodyHasher bytewise = new BodyHasher(mode);
            for (int i = 0; i < body.length; i++) {
                bytewise.update(body, i, 1);
            }
            assertThat(bytewise.finish()).as(mode + " body hash independent of chunking").isEqualTo(whole);
        }
    }

    /** The header block cut into fields: a line starting with space or tab continues the field before it. */
    private static List<byte[]> fields(byte[] block) {
        List<byte[]> out = new ArrayList<>();
        int fieldStart = 0;
        for (int i = 0; i < block.length; i++) {
            boolean lineStart = i > 0 && block[i - 1] == '\n';
            if (lineStart && block[i] != ' ' && block[i] != '\t') {
                out.add(Arrays.copyOfRange(block, fieldStart, i));
                fieldStart = i;
            }
        }
        if (fieldStart < block.length) {
            out.add(Arrays.copyOfRange(block, fieldStart, block.length));
        }
        return out;
    }

    private static int indexOf(byte[] bytes, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
