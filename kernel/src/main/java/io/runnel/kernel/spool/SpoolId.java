package io.runnel.kernel.spool;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A message's identity in the spool: 128 bits, time-ordered (UUIDv7 layout: 48 bits of Unix milliseconds,
 * then version, a 12-bit sequence and 62 random bits), so LMDB keeps messages in arrival order.
 * Written as 32 lower-case hex digits.
 */
public record SpoolId(long high, long low) implements Comparable<SpoolId> {

    public static final int KEY_BYTES = 16;

    /** Parses the 32-hex-digit form; throws {@link IllegalArgumentException} otherwise. */
    public static SpoolId parse(String text) {
        if (text.length() != 32) {
            throw new IllegalArgumentException("spool id must be 32 hex digits: " + text);
        }
        HexFormat hex = HexFormat.of();
        if (!text.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("spool id must be 32 hex digits: " + text);
        }
        return new SpoolId(hex.fromHexDigitsToLong(text, 0, 16), hex.fromHexDigitsToLong(text, 16, 32));
    }

    /** Reads the 16 key bytes at the buffer's position, advancing it. */
    public static SpoolId fromKey(ByteBuffer key) {
        return new SpoolId(key.getLong(), key.getLong());
    }

    /** Writes the 16 big-endian key bytes into {@code target} (cleared first) and flips it for reading. */
    public ByteBuffer writeKey(ByteBuffer target) {
        target.clear();
        target.putLong(high).putLong(low).flip();
        return target;
    }

    /** When the id was made, to the millisecond. */
    public Instant createdAt() {
        return Instant.ofEpochMilli(high >>> 16);
    }

    @Override
    public int compareTo(SpoolId other) {
        return compare(high, low, other.high, other.low);
    }

    /** Orders two ids given by their halves as {@link #compareTo} does, for callers that keep ids unboxed. */
    public static int compare(long high, long low, long otherHigh, long otherLow) {
        int byHigh = Long.compareUnsigned(high, otherHigh);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, otherLow);
    }

    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }

    /** Makes ids that increase strictly, even within one millisecond or when the clock steps back. */
    public static final class Factory {
        private final Clock clock;
        private final RandomGenerator random;
        private long lastMillis;
        private int sequence;

        public Factory(Clock clock, RandomGenerator random) {
            this.clock = clock;
            this.random = random;
        }

        public synchronized SpoolId next() {
            long millis = Math.max(clock.millis(), lastMillis);
            if (millis == lastMillis) {
                sequence++;
                if (sequence > 0xFFF) {
                    millis++;
                    sequence = 0;
                }
            } else {
                sequence = 0;
            }
            lastMillis = millis;
            long high = (millis << 16) | 0x7000L | sequence;
            long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
            return new SpoolId(high, low);
        }
    }
}
