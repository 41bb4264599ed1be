package io.runnel.kernel.shaping.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.shaping.store.ConnectionLeases.Lease;
import org.junit.jupiter.api.Test;

class LocalLeasesTest {

    @Test
    void theLimitIsHeldPerKeyAndAReleasedSlotIsFreeAgain() {
        LocalLeases leases = new LocalLeases();
        Lease first = leases.tryAcquire("mx.example", 2).orElseThrow();
        assertThat(leases.tryAcquire("mx.example", 2)).isPresent();
        assertThat(leases.tryAcquire("mx.example", 2)).isEmpty();
        assertThat(leases.tryAcquire("other.example", 2)).isPresent();
        assertThat(first.key()).isEqualTo("mx.example");

        first.release();
        first.release(); // twice is once
        assertThat(leases.held("mx.example")).isEqualTo(1);
        assertThat(leases.tryAcquire("mx.example", 2)).isPresent();
        assertThat(leases.tryAcquire("mx.example", 2)).isEmpty();
    }

    @Test
    void aLimitOfZeroAdmitsNothingAndKeysWithoutLeasesAreForgotten() {
        LocalLeases leases = new LocalLeases();
        assertThat(leases.tryAcquire("k", 0)).isEmpty();
        leases.tryAcquire("k", 1).orElseThrow().release();
        assertThat(leases.held("k")).isZero();
    }
}
