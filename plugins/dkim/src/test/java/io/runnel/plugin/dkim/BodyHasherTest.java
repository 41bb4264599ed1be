package io.runnel.plugin.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BodyHasherTest {

    private static final String RFC6376_BODY = "Hi.\r\n\r\nWe lost the game. Are you hungry yet?\r\n\r\nJoe.\r\n";

    private static String bh(Canonicalization mode, String body) throws IOException {
        return bh(mode, body.getBytes(StandardCharsets.ISO_8859_1), "SHA-256");
    }

    private static String bh(Canonicalization mode, byte[] body, String digest) throws IOException {
        return Base64.getEncoder().encodeToString(
                new BodyHasher(mode, digest).hashAll(new ByteArrayInputStream(body)));
    }

    private static String sha256(String canonical) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void rfc6376ExampleBodyHashesAsInTheSignedExamples() throws IOException {
        assertThat(bh(Canonicalization.SIMPLE, RFC6376_BODY)).isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
        assertThat(bh(Canonicalization.RELAXED, RFC6376_BODY)).isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
    }

    @Test
    void emptyBodyIsOneCrlfWhenSimpleAndNothingWhenRelaxed() throws Exception {
        assertThat(bh(Canonicalization.SIMPLE, "")).isEqualTo(sha256("\r\n"));
        assertThat(bh(Canonicalization.RELAXED, "")).isEqualTo(sha256(""));
        assertThat(bh(Canonicalization.RELAXED, "\r\n  \r\n\r\n")).isEqualTo(sha256(""));
    }

    @Test
    void trailingEmptyLinesAreIgnoredAndAMissingFinalCrlfAdded() throws Exception {
        assertThat(bh(Canonicalization.SIMPLE, "a\r\n\r\n\r\n")).isEqualTo(sha256("a\r\n"));
        assertThat(bh(Canonicalization.SIMPLE, "a")).isEqualTo(sha256("a\r\n"));
        assertThat(bh(Canonicalization.SIMPLE, "a \r\n \r\n")).isEqualTo(sha256("a \r\n \r\n"));
    }

    /**
     * The hasher passes plain content eight bytes at a time: whitespace, line ends, controls and 8-bit bytes at every
     * place of such a word, and across two, must come out as they do byte by byte.
     */
    @Test
    void whitespaceAndLineEndsCanonicaliseAlikeAtEveryPlaceInAWord() throws Exception {
        String[][] cases = {
            // content, relaxed, simple
            {"ab cd", "ab cd", "ab cd"},
            {"ab  cd", "ab cd", "ab  cd"},
            {"ab\tcd", "ab cd", "ab\tcd"},
            {"ab \tcd", "ab cd", "ab \tcd"},
            {"ab \r\ncd", "ab\r\ncd", "ab \r\ncd"},
            {"ab\ncd", "ab\r\ncd", "ab\r\ncd"},
            {"ab\rcd", "ab\rcd", "ab\rcd"},
            {"ab\u0001 cd", "ab\u0001 cd", "ab\u0001 cd"},
            {"ab\u00e9 \u00ffcd", "ab\u00e9 \u00ffcd", "ab\u00e9 \u00ffcd"},
        };
        for (String[] c : cases) {
            for (int shift = 0; shift < 17; shift++) {
                String pad = "x".repeat(shift);
                String body = pad + c[0] + "yyyyyyyyyyyyyyyy\r\n";
                assertThat(bh(Canonicalization.RELAXED, body)).as("relaxed %s at %d", c[0], shift)
                        .isEqualTo(sha256(pad + c[1] + "yyyyyyyyyyyyyyyy\r\n"));
                assertThat(bh(Canonicalization.SIMPLE, body)).as("simple %s at %d", c[0], shift)
                        .isEqualTo(sha256(pad + c[2] + "yyyyyyyyyyyyyyyy\r\n"));
            }
        }
    }

    @Test
    void relaxedCollapsesWhitespaceRunsAndDropsItAtLineEnds() throws Exception {
        assertThat(bh(Canonicalization.RELAXED, " a \t b  \r\nc\t\r\n \t\r\n"))
                .isEqualTo(sha256(" a b\r\nc\r\n"));
    }

    @Test
    void bareCrIsContentButBareLfEndsALine() throws Exception {
        assertThat(bh(Canonicalization.SIMPLE, "a\rb\nc\r\n")).isEqualTo(sha256("a\rb\r\nc\r\n"));
        assertThat(bh(Canonicalization.SIMPLE, "a\n\n")).isEqualTo(sha256("a\r\n"));
        assertThat(bh(Canonicalization.SIMPLE, "a\r")).isEqualTo(sha256("a\r\r\n"));
    }

    @Test
    void eightBitBytesPassUnchanged() throws Exception {
        byte[] body = {(byte) 0xc3, (byte) 0xa9, ' ', ' ', (byte) 0xff, '\r', '\n'};
        assertThat(bh(Canonicalization.RELAXED, body, "SHA-256"))
                .isEqualTo(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(new byte[] {(byte) 0xc3, (byte) 0xa9, ' ', (byte) 0xff, '\r', '\n'})));
    }

    @ParameterizedTest
    @EnumSource(Canonicalization.class)
    void feedingOneByteAtATimeGivesTheSameHashAsOneChunk(Canonicalization mode) throws Exception {
        byte[] body = " x  \r\n\r\ny\t\r\r\n\r\n \r\n".getBytes(StandardCharsets.US_ASCII);
        BodyHasher bytewise = new BodyHasher(mode);
        for (byte b : body) {
            bytewise.update(new byte[] {b}, 0, 1);
        }
        assertThat(Base64.getEncoder().encodeToString(bytewise.finish()))
                .isEqualTo(bh(mode, body, "SHA-256"));
    }

    /** Single spaces between words ride in the plain run; every other whitespace case still canonicalises, in any chunks. */
    @Test
    void wordsWithSingleSpacesHashAsOneRunAndOtherWhitespaceStillCanonicalises() throws Exception {
        String words = "the quick brown fox jumps over the lazy dog ".repeat(300);
        byte[] body = (words + "x\r\n a  b \tc d\t\r\ne \r\n f \r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest((words + "x\r\n a b c d\r\ne\r\n f\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int chunk : new int[] {1, 2, 3, 5, 8_192, body.length}) {
            BodyHasher hasher = new BodyHasher(Canonicalization.RELAXED);
            for (int at = 0; at < body.length; at += chunk) {
                hasher.update(body, at, Math.min(chunk, body.length - at));
            }
            assertThat(hasher.finish()).as("chunks of %d", chunk).isEqualTo(expected);
        }
    }

    /** Runs of plain content longer than the output buffer, split at every awkward place, hash as one canonical body. */
    @ParameterizedTest
    @EnumSource(Canonicalization.class)
    void longRunsHashTheSameWhateverTheChunkBoundaries(Canonicalization mode) throws Exception {
        String a = "a".repeat(20_000);
        String b = "b".repeat(8_191);
        byte[] body = (a + " \t " + a + "\r\n.\r\n" + b + "  \r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        // written out by hand: simple keeps the whitespace and drops the trailing empty line; relaxed also makes
        // inner whitespace one SP and drops it at the end of a line
        String canonical = mode == Canonicalization.SIMPLE
                ? a + " \t " + a + "\r\n.\r\n" + b + "  \r\n"
                : a + " " + a + "\r\n.\r\n" + b + "\r\n";
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII));
        for (int chunk : new int[] {1, 7, 8_192, 8_193, body.length}) {
            BodyHasher hasher = new BodyHasher(mode);
            for (int at = 0; at < body.length; at += chunk) {
                hasher.update(body, at, Math.min(chunk, body.length - at));
            }
            assertThat(hasher.finish()).as("chunks of %d", chunk).isEqualTo(expected);
        }
    }

    @Test
    void mailauthBodyHashVectorsAllMatch() throws Exception {
        var dir = TestData.dkimDir();
        byte[] message1 = Files.readAllBytes(dir.resolve("mailauth/message1.eml"));
        String text = new String(message1, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        byte[] message1Body = text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        byte[] blank = "\r\n\r\n\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] rfc8463Body = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        List<String> lines = Files.readAllLines(dir.resolve("mailauth/body-hash-vectors.tsv"));
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            if (!c[3].isEmpty()) {
                continue; // l= limits are not something a signer emits
            }
            byte[] body = c[0].startsWith("message1") ? message1Body
                    : c[0].startsWith("bytes") ? blank
                    : c[0].startsWith("RFC 8463") ? rfc8463Body
                    : RFC6376_BODY.getBytes(StandardCharsets.US_ASCII);
            Canonicalization mode = Canonicalization.parse(c[1]).orElseThrow();
            String digest = c[2].equals("sha1") ? "SHA-1" : "SHA-256";
            assertThat(bh(mode, body, digest)).as(line).isEqualTo(c[4]);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
        assertThat(Arrays.asList(lines.get(0).split("\t"))).contains("expected_bh_base64");
    }
}
