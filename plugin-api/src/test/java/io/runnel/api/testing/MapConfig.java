package io.runnel.api.testing;

import io.runnel.api.plugin.ConfigSection;
import io.runnel.api.plugin.PluginConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ConfigSection} over a map, for plugin tests (shipped in plugin-api's test jar): values are String, Long,
 * Boolean, List, Map or List of Map.
 */
public final class MapConfig implements ConfigSection {

    private final String path;
    private final Map<String, ?> values;
    private final Set<String> read = new HashSet<>();

    public MapConfig(String path, Map<String, ?> values) {
        this.path = path;
        this.values = values;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Optional<String> string(String key) throws PluginConfigException {
        return typed(key, String.class);
    }

    @Override
    public Optional<Long> integer(String key) throws PluginConfigException {
        return typed(key, Long.class);
    }

    @Override
    public Optional<Boolean> bool(String key) throws PluginConfigException {
        return typed(key, Boolean.class);
    }

    @Override
    public Optional<Duration> duration(String key) throws PluginConfigException {
        Optional<String> text = string(key);
        return text.map(t -> Duration.parse("PT" + t.toUpperCase()));
    }

    @Override
    public List<String> strings(String key) throws PluginConfigException {
        Optional<List> list = typed(key, List.class);
        List<String> out = new ArrayList<>();
        for (Object o : list.orElse(List.of())) {
            if (!(o instanceof String s)) {
                throw error(key, "expected an array of strings");
            }
            out.add(s);
        }
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<ConfigSection> section(String key) throws PluginConfigException {
        return typed(key, Map.class).map(m -> new MapConfig(path + "." + key, (Map<String, ?>) m));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<ConfigSection> sections(String key) throws PluginConfigException {
        List<ConfigSection> out = new ArrayList<>();
        List<?> list = typed(key, List.class).orElse(List.of());
        for (int i = 0; i < list.size(); i++) {
            out.add(new MapConfig(path + "." + key + "[" + i + "]", (Map<String, ?>) list.get(i)));
        }
        return out;
    }

    @Override
    public void rejectUnknownKeys() throws PluginConfigException {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                throw error(key, "unknown key");
            }
        }
    }

    @Override
    public PluginConfigException error(String key, String reason) {
        return new PluginConfigException(path + "." + key, reason);
    }

    private <T> Optional<T> typed(String key, Class<T> type) throws PluginConfigException {
        read.add(key);
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            throw error(key, "expected " + type.getSimpleName());
        }
        return Optional.of(type.cast(value));
    }
}
