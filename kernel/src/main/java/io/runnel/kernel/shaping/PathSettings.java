package io.runnel.kernel.shaping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys one shaping block (or one layer of it) sets, already parsed. Layers stack: {@link #overlay} lets the later
 * layer's keys win, key by key.
 *
 * @param values key name to parsed value (the type its {@link ShapingKey} gives)
 */
public record PathSettings(Map<String, Object> values) {

    public static final PathSettings EMPTY = new PathSettings(Map.of());

    public PathSettings {
        values = Map.copyOf(values);
    }

    /** These settings with {@code later}'s keys on top. */
    public PathSettings overlay(PathSettings later) {
        if (later.values.isEmpty()) {
            return this;
        }
        if (values.isEmpty()) {
            return later;
        }
        Map<String, Object> merged = new LinkedHashMap<>(values);
        merged.putAll(later.values);
        return new PathSettings(merged);
    }

    public <T> Optional<T> get(ShapingKey<T> key) {
        @SuppressWarnings("unchecked") // values are put only through their key's parser
        T value = (T) values.get(key.name());
        return Optional.ofNullable(value);
    }

    public <T> T get(ShapingKey<T> key, T fallback) {
        return get(key).orElse(fallback);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
