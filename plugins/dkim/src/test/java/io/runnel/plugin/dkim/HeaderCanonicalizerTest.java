package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderCanonicalizerTest {

    private static String relaxed(String raw) {
        return new String(HeaderCanonicalizer.canonicalize(Canonicalization.RELAXED,
                raw.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void relaxedMatchesTheRfc6376Example() {
        // RFC 6376 3.4.5
        assertThat(relaxed("A: X\r\n")).isEqualTo("a:X\r\n");
        assertThat(relaxed("B : Y\t\r\n\tZ  \r\n")).isEqualTo("b:Y Z\r\n");
    }

    @Test
    void relaxedUnfoldsAndCollapsesWhitespaceRuns() {
        assertThat(relaxed("Subject:  Hello \t  there\r\n   world   \r\n")).isEqualTo("subject:Hello there world\r\n");
    }

    @Test
    void relaxedKeepsEightBitBytesAndTheNameCaseOfNonLetters() {
        assertThat(relaxed("X-Caf\u00e9-ID: na\u00efve\r\n")).isEqualTo("x-caf\u00e9-id:na\u00efve\r\n");
    }

    @Test
    void relaxedEmptyValueKeepsTheColon() {
        assertThat(relaxed("Cc:   \r\n")).isEqualTo("cc:\r\n");
    }

    @Test
    void simpleLeavesTheFieldByteForByte() {
        byte[] raw = "Subject :  folded\r\n\tline \r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(HeaderCanonicalizer.canonicalize(Canonicalization.SIMPLE, raw)).isEqualTo(raw);
    }

    @Test
    void ownSignatureFieldIsCanonicalisedWithoutItsCrlf() {
        byte[] own = HeaderCanonicalizer.canonicalizeOwnSignature(Canonicalization.RELAXED,
                "DKIM-Signature: v=1; a=rsa-sha256;\r\n\tb=");
        assertThat(new String(own, StandardCharsets.US_ASCII)).isEqualTo("dkim-signature:v=1; a=rsa-sha256; b=");
    }
}
