package io.runnel.kernel.anvil;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.BiPredicate;

/**
 * A bounded map for per-client state that a botnet cannot grow without bound: at most {@code capacity} entries,
 * the least recently used dropped beyond it, and entries their owner calls stale dropped as they age out (checked
 * from the least recently used end on every access, so the cost is amortised O(1)). Not thread-safe: callers lock.
 */
final class ExpiringTable<K, V> {

    private final int capacity;
    private final BiPredicate<V, Instant> stale;
    private final LinkedHashMap<K, V> entries;

    /** @param stale whether a value holds nothing worth keeping any more at the given time */
    ExpiringTable(int capacity, BiPredicate<V, Instant> stale) {
        this.capacity = capacity;
        this.stale = stale;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > ExpiringTable.this.capacity;
            }
        };
    }

    /** The value for {@code key}, made by {@code create} when absent; marks it most recently used. */
    V get(K key, Instant now, Function<K, V> create) {
        sweep(now);
        return entries.computeIfAbsent(key, create);
    }

    /** The value for {@code key} if present, without creating one. */
    Optional<V> find(K key, Instant now) {
        sweep(now);
        return Optional.ofNullable(entries.get(key));
    }

    void remove(K key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }

    /** Drops stale entries from the least recently used end, stopping at the first live one. */
    private void sweep(Instant now) {
        Iterator<V> oldest = entries.values().iterator();
        while (oldest.hasNext() && stale.test(oldest.next(), now)) {
            oldest.remove();
        }
    }
}
