package io.runnel.kernel.anvil;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiringTableTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void neverHoldsMoreThanItsCapacityHoweverManyKeysArrive() {
        ExpiringTable<Integer, Instant> table = new ExpiringTable<>(1000, (v, now) -> false);
        for (int i = 0; i < 1_000_000; i++) {
            table.get(i, T0, k -> T0);
        }
        assertThat(table.size()).isEqualTo(1000);
        assertThat(table.find(999_999, T0)).as("the most recent stay").isPresent();
        assertThat(table.find(0, T0)).as("the least recent go").isEmpty();
    }

    @Test
    void staleEntriesAreDroppedAsTimeMovesOn() {
        ExpiringTable<String, Instant> table = new ExpiringTable<>(100, (expiry, now) -> !now.isBefore(expiry));
        table.get("a", T0, k -> T0.plusSeconds(10));
        table.get("b", T0, k -> T0.plusSeconds(20));
        assertThat(table.find("a", T0.plusSeconds(5))).isPresent();
        table.find("zzz", T0.plusSeconds(30)); // any access sweeps
        assertThat(table.size()).isZero();
    }

    @Test
    void aRecentlyUsedEntryIsKeptWhenTheOldestAreEvicted() {
        ExpiringTable<Integer, Instant> table = new ExpiringTable<>(2, (v, now) -> false);
        table.get(1, T0, k -> T0);
        table.get(2, T0, k -> T0);
        table.get(1, T0, k -> T0); // touch 1: 2 is now the least recent
        table.get(3, T0, k -> T0);
        assertThat(table.find(1, T0)).isPresent();
        assertThat(table.find(2, T0)).isEmpty();
    }
}
