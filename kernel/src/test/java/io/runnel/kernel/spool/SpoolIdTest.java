package io.runnel.kernel.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpoolIdTest {
    private static final Instant NOW = Instant.parse("2026-11-28T17:00:00.123Z");

    private final SpoolId.Factory factory = new SpoolId.Factory(Clock.fixed(NOW, ZoneOffset.UTC), new SplittableRandom(1));

    @Test
    void parseOfToStringGivesTheSameId() {
        for (int i = 0; i < 100; i++) {
            SpoolId id = factory.next();
            assertThat(id.toString()).hasSize(32).matches("[0-9a-f]{32}");
            assertThat(SpoolId.parse(id.toString())).isEqualTo(id);
        }
        SpoolId extreme = new SpoolId(-1L, Long.MIN_VALUE);
        assertThat(SpoolId.parse(extreme.toString())).isEqualTo(extreme);
    }

    @Test
    void parseRefusesTextThatIsNotThirtyTwoHexDigits() {
        assertThatThrownBy(() -> SpoolId.parse("abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpoolId.parse("g".repeat(32))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idsFromOneMillisecondIncreaseStrictly() {
        List<SpoolId> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) { // more than the 4096 sequence numbers of one millisecond
            ids.add(factory.next());
        }
        for (int i = 1; i < ids.size(); i++) {
            assertThat(ids.get(i)).isGreaterThan(ids.get(i - 1));
        }
        assertThat(ids.get(0).createdAt()).isEqualTo(NOW);
    }

    @Test
    void keyByteOrderEqualsCompareToOrder() {
        SplittableRandom random = new SplittableRandom(3);
        List<SpoolId> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(new SpoolId(random.nextLong(), random.nextLong())); // both signs, so unsigned order matters
        }
        ids.add(new SpoolId(0, -1));
        ids.add(new SpoolId(0, 1));
        List<SpoolId> byCompareTo = ids.stream().sorted().toList();
        List<SpoolId> byKeyBytes = ids.stream()
                .sorted(Comparator.comparing(id -> key(id), Arrays::compareUnsigned))
                .toList();
        assertThat(byKeyBytes).containsExactlyElementsOf(byCompareTo);
    }

    @Test
    void keyBytesReadBackAsTheSameId() {
        SpoolId id = factory.next();
        assertThat(SpoolId.fromKey(ByteBuffer.wrap(key(id)))).isEqualTo(id);
    }

    private static byte[] key(SpoolId id) {
        ByteBuffer buffer = id.writeKey(ByteBuffer.allocate(SpoolId.KEY_BYTES));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
