package io.runnel.kernel.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One meter per label value, created on first use and then only looked up, so counting an event allocates
 * nothing. Keys are capped label values (or a fixed set), which bounds the map.
 */
final class MeterCache<M> {

    private final Map<String, M> meters = new ConcurrentHashMap<>();
    private final Function<String, M> create;

    MeterCache(Function<String, M> create) {
        this.create = create;
    }

    M get(String label) {
        M meter = meters.get(label);
        return meter != null ? meter : meters.computeIfAbsent(label, create);
    }
}
