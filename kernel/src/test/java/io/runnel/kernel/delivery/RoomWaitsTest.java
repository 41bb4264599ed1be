package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.spool.SpoolId;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RoomWaitsTest {

    private final RoomWaits waits = new RoomWaits(RandomGenerator.of("L64X128MixRandom"));
    private final SpoolId.Factory ids = new SpoolId.Factory(Clock.systemUTC(), new SplittableRandom(3));

    @Test
    void missesInARowCountUntilTheMessageGetsRoom() {
        SpoolId id = ids.next();
        SpoolId other = ids.next();
        assertThat(waits.miss(id)).isEqualTo(1);
        assertThat(waits.miss(id)).isEqualTo(2);
        assertThat(waits.miss(other)).isEqualTo(1);
        waits.done(id);
        assertThat(waits.miss(id)).isEqualTo(1);
    }

    @Test
    void eachWaitIsLongerUpToAMinuteAndSpreadOverItsRange() {
        for (int i = 0; i < 2_000; i++) {
            assertThat(waits.waitAfter(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
            assertThat(waits.waitAfter(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(20));
            assertThat(waits.waitAfter(4)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(60));
            assertThat(waits.waitAfter(1_000)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(60));
        }
        long spread = java.util.stream.IntStream.range(0, 200).mapToObj(i -> waits.waitAfter(1)).distinct().count();
        assertThat(spread).as("jittered, so a backlog sent back together does not come back together").isGreaterThan(150);
    }
}
