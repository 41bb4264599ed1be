package io.runnel.plugin.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Header canonicalisation, RFC 6376 3.4.1 (simple) and 3.4.2 (relaxed), on raw bytes so 8-bit text survives. */
final class HeaderCanonicalizer {

    private HeaderCanonicalizer() {
    }

    /** {@code raw} is one whole field: name, colon, value with any folding, and its CRLF. */
    static byte[] canonicalize(Canonicalization mode, byte[] raw) {
        return mode == Canonicalization.SIMPLE ? raw.clone() : relaxed(raw);
    }

    private static byte[] relaxed(byte[] raw) {
        int colon = indexOf(raw, (byte) ':');
        if (colon < 0) {
            throw new IllegalArgumentException("header field without a colon");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 2);
        int nameEnd = colon;
        while (nameEnd > 0 && isWsp(raw[nameEnd - 1])) {
            nameEnd--;
        }
        for (int i = 0; i < nameEnd; i++) {
            byte b = raw[i];
            out.write(b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        out.write(':');
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = colon + 1; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\r' || b == '\n') {
                continue; // unfolding: CRLF goes, the WSP after it is collapsed below
            }
            if (isWsp(b)) {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) {
                out.write(' ');
                pendingSpace = false;
            }
            out.write(b);
            started = true;
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** The DKIM-Signature field being produced: canonicalised, then without its CRLF (RFC 6376 3.7). */
    static byte[] canonicalizeOwnSignature(Canonicalization mode, String fieldWithoutCrlf) {
        byte[] withCrlf = (fieldWithoutCrlf + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] canonical = canonicalize(mode, withCrlf);
        return java.util.Arrays.copyOf(canonical, canonical.length - 2);
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
