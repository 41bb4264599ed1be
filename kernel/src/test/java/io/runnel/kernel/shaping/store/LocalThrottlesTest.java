package io.runnel.kernel.shaping.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.shaping.Gcra;
import io.runnel.kernel.shaping.ThrottleSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LocalThrottlesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void eachKeyIsItsOwnGcra() {
        ThrottleSpec spec = ThrottleSpec.parse("10/min,max_burst=3");
        LocalThrottles store = new LocalThrottles();
        Gcra reference = new Gcra(spec);
        for (int i = 0; i < 200; i++) {
            Instant now = T0.plusMillis(i * 1_500L);
            assertThat(store.tryAcquire("a", spec, now)).as("at %s", now).isEqualTo(reference.tryAcquire(now));
            assertThat(store.waitAt("a", spec, now)).isEqualTo(reference.waitAt(now));
        }
        assertThat(store.tryAcquire("b", spec, T0)).isZero(); // a's use leaves b untouched
    }

    @Test
    void aChangedSpecStartsAFreshLimiter() {
        LocalThrottles store = new LocalThrottles();
        ThrottleSpec tight = ThrottleSpec.parse("1/h");
        assertThat(store.tryAcquire("k", tight, T0)).isZero();
        assertThat(store.tryAcquire("k", tight, T0)).isPositive();
        assertThat(store.waitAt("k", ThrottleSpec.parse("100/h"), T0)).isZero();
        assertThat(store.tryAcquire("k", ThrottleSpec.parse("100/h"), T0)).isZero();
    }

    @Test
    void idleKeysAreDroppedSoMemoryFollowsTheKeysInUse() {
        ThrottleSpec spec = ThrottleSpec.parse("1000/s,max_burst=10"); // a key is as new 10ms after its last cell
        LocalThrottles store = new LocalThrottles();
        for (int tenant = 0; tenant < 100; tenant++) { // a tenant a millisecond, each sending to 100 domains
            for (int domain = 0; domain < 100; domain++) {
                store.tryAcquire(tenant + ":" + domain + ".example", spec, T0.plusMillis(tenant));
            }
        }
        // of 10,000 keys, those of the last window and the new ones since the last sweep are left
        assertThat(store.size()).isLessThan(10 * 100 + 100 + LocalThrottles.SWEEP_EVERY);
        assertThat(store.evicted()).isZero();
    }

    @Test
    void busyKeysPastTheCapAreDroppedRatherThanGrowingTheHeap() {
        ThrottleSpec spec = ThrottleSpec.parse("1/h"); // never idle within the test
        LocalThrottles store = new LocalThrottles(1_000);
        for (int i = 0; i < 10_000; i++) {
            store.tryAcquire("key" + i, spec, T0);
        }
        assertThat(store.size()).isLessThanOrEqualTo(1_000);
        assertThat(store.evicted()).isGreaterThanOrEqualTo(9_000);
    }

    @Test
    void aDroppedIdleKeyAnswersExactlyAsTheLimiterWouldHave() {
        ThrottleSpec spec = ThrottleSpec.parse("2/s,max_burst=2"); // idle one second after its last cell
        ThrottleSpec brief = ThrottleSpec.parse("1000/s,max_burst=1"); // idle a millisecond after
        LocalThrottles store = new LocalThrottles();
        Gcra reference = new Gcra(spec);
        Instant now = T0;
        for (int i = 0; i < 12; i++) {
            now = now.plusMillis(i % 3 == 0 ? 1_200 : 250); // sometimes idle at the sweep, mostly busy
            for (int n = 0; n < LocalThrottles.SWEEP_EVERY; n++) {
                store.tryAcquire("other" + i + ":" + n, brief, now); // a sweep, dropping "k" whenever it is idle
            }
            assertThat(store.size()).isLessThanOrEqualTo(LocalThrottles.SWEEP_EVERY + 1); // the sweep ran
            assertThat(store.tryAcquire("k", spec, now)).as("at %s", now).isEqualTo(reference.tryAcquire(now));
        }
        assertThat(store.evicted()).isZero();
    }
}
