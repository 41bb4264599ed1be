package io.runnel.plugin.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Streams a body through DKIM body canonicalisation (RFC 6376 3.4.3 / 3.4.4) into SHA-256, chunk by chunk.
 * Line ends and whitespace are held back until the next content byte shows they are not trailing, so the body is
 * never copied whole. A bare LF counts as a line end; a bare CR is content. One instance per body; not thread-safe.
 */
final class BodyHasher {

    private static final int CHUNK = 8192;
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long TABS = 0x0909090909090909L;
    private static final long LAST_BYTE = 0x8000000000000000L;

    private final Canonicalization mode;
    private final MessageDigest digest;
    private final byte[] out = new byte[CHUNK];
    private int outLength;
    private long pendingCrlfs;
    private boolean pendingCr;
    private boolean pendingSpace;
    private boolean sawContent;

    BodyHasher(Canonicalization mode) {
        this(mode, "SHA-256");
    }

    /** Another digest (SHA-1) only to check canonicalisation against rsa-sha1 vectors; DKIM signing uses SHA-256. */
    BodyHasher(Canonicalization mode, String digestAlgorithm) {
        this.mode = mode;
        try {
            this.digest = MessageDigest.getInstance(digestAlgorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("no digest " + digestAlgorithm, e);
        }
    }

    /** The body hash of everything {@code body} yields. */
    static byte[] hash(Canonicalization mode, InputStream body) throws IOException {
        return new BodyHasher(mode).hashAll(body);
    }

    byte[] hashAll(InputStream body) throws IOException {
        byte[] chunk = new byte[CHUNK];
        for (int n; (n = body.read(chunk)) >= 0; ) {
            update(chunk, 0, n);
        }
        return finish();
    }

    void update(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (!pendingCr && !pendingSpace && pendingCrlfs == 0) {
                // nothing held back: a run of ordinary content goes out as it is, in one copy
                int run = plainRun(bytes, i, end);
                if (run > i) {
                    emit(bytes, i, run - i);
                    sawContent = true;
                    i = run;
                    continue;
                }
            }
            accept(bytes[i++]);
        }
    }

    /**
     * The end of the run from {@code from} that canonicalisation leaves as it is: plain bytes, and in relaxed mode
     * also a single SP between two of them (words in a line), which relaxed turns into the same single SP. Without
     * that, every space of a text body ended a run and went through {@link #accept} on its own.
     */
    private int plainRun(byte[] bytes, int from, int end) {
        int run = from;
        while (run < end) {
            if (run + Long.BYTES <= end) {
                long look = needsALook((long) WORDS.get(bytes, run));
                if (look == 0) {
                    run += Long.BYTES;
                    continue;
                }
                run += Long.numberOfTrailingZeros(look) >>> 3; // the plain bytes before the first one to look at
            }
            if (isPlain(bytes[run])) {
                run++;
            } else if (bytes[run] == ' ' && run + 1 < end && isPlain(bytes[run + 1])) {
                run += 2;
            } else {
                break;
            }
        }
        return run;
    }

    /**
     * Eight bytes at once (little-endian, so byte i is bits 8i to 8i+7): the high bit of each byte that the byte by
     * byte test of {@link #plainRun} must look at. Those are the bytes below '!' but SP (and TAB in simple mode) and,
     * in relaxed mode, a SP followed by a byte below '!' or in the last place, whose follower is in the next word.
     */
    private long needsALook(long word) {
        long low = below33(word);
        if (low == 0) {
            return 0;
        }
        long spaces = equal(word, SPACES);
        if (mode == Canonicalization.SIMPLE) {
            return low & ~(spaces | equal(word, TABS));
        }
        return (low & ~spaces) | (spaces & ((low >>> 8) | LAST_BYTE));
    }

    /** The high bit of each byte of {@code word} below 0x21 (controls, SP, TAB, CR, LF), exactly: no carry between bytes. */
    private static long below33(long word) {
        return ~(((word & LOW_BITS) + 0x5F5F5F5F5F5F5F5FL) | word) & HIGH_BITS;
    }

    /** The high bit of each byte of {@code word} equal to the byte repeated in {@code pattern}, exactly. */
    private static long equal(long word, long pattern) {
        long x = word ^ pattern;
        return ~(((x & LOW_BITS) + LOW_BITS) | x) & HIGH_BITS;
    }

    /** Content that canonicalisation passes through unchanged whatever follows it. */
    private boolean isPlain(byte b) {
        return b != '\r' && b != '\n' && !(mode == Canonicalization.RELAXED && HeaderCanonicalizer.isWsp(b));
    }

    byte[] finish() {
        if (pendingCr) {
            pendingCr = false;
            content((byte) '\r');
        }
        // every non-empty body ends in exactly one CRLF; an empty one is CRLF (simple) or nothing (relaxed)
        if (sawContent || mode == Canonicalization.SIMPLE) {
            emit((byte) '\r');
            emit((byte) '\n');
        }
        digest.update(out, 0, outLength);
        outLength = 0;
        return digest.digest();
    }

    private void accept(byte b) {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                pendingCrlfs++;
                pendingSpace = false; // relaxed: whitespace at the end of a line goes
                return;
            }
            content((byte) '\r'); // a bare CR is ordinary content
        }
        if (b == '\r') {
            pendingCr = true;
        } else if (b == '\n') {
            // a bare LF ends a line, as if it were CRLF (RFC 6376 5.3; dkimpy, mailauth and libopendkim agree)
            pendingCrlfs++;
            pendingSpace = false;
        } else if (mode == Canonicalization.RELAXED && HeaderCanonicalizer.isWsp(b)) {
            pendingSpace = true; // a run of WSP becomes one SP, unless the line ends first
        } else {
            content(b);
        }
    }

    private void content(byte b) {
        for (; pendingCrlfs > 0; pendingCrlfs--) {
            emit((byte) '\r');
            emit((byte) '\n');
        }
        if (pendingSpace) {
            pendingSpace = false;
            emit((byte) ' ');
        }
        emit(b);
        sawContent = true;
    }

    private void emit(byte[] bytes, int offset, int length) {
        if (outLength + length > out.length) {
            digest.update(out, 0, outLength);
            outLength = 0;
            if (length > out.length) {
                digest.update(bytes, offset, length);
                return;
            }
        }
        System.arraycopy(bytes, offset, out, outLength, length);
        outLength += length;
    }

    private void emit(byte b) {
        if (outLength == out.length) {
            digest.update(out, 0, outLength);
            outLength = 0;
        }
        out[outLength++] = b;
    }
}
