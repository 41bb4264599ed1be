package io.runnel.kernel.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GcraTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void burstOfLimitThenSteadyRate() {
        Gcra gcra = new Gcra(ThrottleSpec.parse("10/s"));
        for (int i = 0; i < 10; i++) {
            assertThat(gcra.tryAcquire(T0)).as("cell %d of the burst", i).isZero();
        }
        assertThat(gcra.tryAcquire(T0)).isEqualTo(Duration.ofMillis(100));
        assertThat(gcra.tryAcquire(T0.plusMillis(60))).isEqualTo(Duration.ofMillis(40));
        assertThat(gcra.tryAcquire(T0.plusMillis(100))).isZero();
        assertThat(gcra.tryAcquire(T0.plusMillis(150))).isEqualTo(Duration.ofMillis(50));
        assertThat(gcra.tryAcquire(T0.plusMillis(200))).isZero();
    }

    @Test
    void steadyRateOverTime() {
        Gcra gcra = new Gcra(ThrottleSpec.parse("20/s,max_burst=1"));
        int allowed = 0;
        for (int ms = 0; ms < 10_000; ms++) { // one try per millisecond for 10 s
            if (gcra.tryAcquire(T0.plusMillis(ms)).isZero()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(200);
    }

    @Test
    void maxBurstCapsBackToBackCells() {
        Gcra gcra = new Gcra(ThrottleSpec.parse("20/30min,max_burst=5"));
        for (int i = 0; i < 5; i++) {
            assertThat(gcra.tryAcquire(T0)).isZero();
        }
        assertThat(gcra.tryAcquire(T0)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void longIdleDoesNotBankMoreThanTheBurst() {
        Gcra gcra = new Gcra(ThrottleSpec.parse("5/s"));
        assertThat(gcra.tryAcquire(T0)).isZero();
        Instant later = T0.plus(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            assertThat(gcra.tryAcquire(later)).isZero();
        }
        assertThat(gcra.tryAcquire(later)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void deniedTriesCountNothing() {
        Gcra gcra = new Gcra(ThrottleSpec.parse("1/s"));
        assertThat(gcra.tryAcquire(T0)).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(gcra.tryAcquire(T0.plusMillis(500))).isEqualTo(Duration.ofMillis(500));
        }
        assertThat(gcra.tryAcquire(T0.plusSeconds(1))).isZero();
    }

    @Test
    void waitAtTakesNothing() {
        Gcra gcra = new Gcra(ThrottleSpec.parse("1/s"));
        assertThat(gcra.waitAt(T0)).isZero();
        assertThat(gcra.waitAt(T0)).isZero();
        assertThat(gcra.tryAcquire(T0)).isZero();
        assertThat(gcra.waitAt(T0.plusMillis(250))).isEqualTo(Duration.ofMillis(750));
        assertThat(gcra.tryAcquire(T0.plusMillis(250))).isEqualTo(Duration.ofMillis(750));
    }
}
