package io.runnel.kernel.shaping.automation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.kernel.boot.DurableFiles;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.RunnelConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shaping keys overridden per path (egress source to site) for a while: what automation's {@code SetConfig} sets
 * and the shaping limits resolver lays over the configured limits. Every change is written to
 * {@code <data_dir>/shaping-overrides.json} (a new file, synced, then renamed over the old) before it is visible,
 * so overrides survive a restart; expired ones are dropped when read back.
 *
 * <p>Reads are lock-free (one immutable list). {@link #generation(Instant)} changes whenever the active set does,
 * including when an override runs out, so a ready queue can tell that its limits need resolving again.
 */
public final class ShapingOverrides implements Service {

    private static final Logger log = LoggerFactory.getLogger(ShapingOverrides.class);
    static final String FILE = "shaping-overrides.json";

    /** Told after the overrides of a path changed (set, ended or expired); called on the changing thread. */
    @FunctionalInterface
    public interface Listener {
        void changed(String source, String site);
    }

    private final Clock clock;
    private final Path file;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile List<ShapingOverride> overrides = List.of();
    private volatile long generation;
    /** The soonest expiry among the overrides held, so a read can tell cheaply whether any ran out. */
    private volatile Instant nextExpiry = Instant.MAX;

    @Inject
    public ShapingOverrides(Clock clock, RunnelConfig config) {
        this(clock, config.server().dataDir());
    }

    /** Overrides kept in {@code dataDir}. */
    public ShapingOverrides(Clock clock, Path dataDir) {
        this.clock = clock;
        this.file = dataDir.resolve(FILE);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** The keys overridden for {@code source -> site} at {@code now}: key to value as written in the shaping file. */
    public Map<String, Object> activeFor(String source, String site, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ShapingOverride o : overrides) {
            if (o.activeAt(now) && o.source().equals(source) && o.site().equalsIgnoreCase(site)) {
                out.put(o.name(), o.value());
            }
        }
        return out;
    }

    /** Every active override, oldest first. */
    public List<ShapingOverride> active(Instant now) {
        return overrides.stream().filter(o -> o.activeAt(now)).toList();
    }

    /** The active override of one key of one path. */
    public Optional<ShapingOverride> active(String source, String site, String name, Instant now) {
        return overrides.stream().filter(o -> o.activeAt(now) && o.source().equals(source)
                && o.site().equalsIgnoreCase(site) && o.name().equals(name)).findFirst();
    }

    /**
     * Changes whenever the active overrides do; drops (and tells listeners about) the ones that ran out by
     * {@code now}. Cheap when nothing ran out.
     */
    public long generation(Instant now) {
        if (now.isBefore(nextExpiry)) {
            return generation;
        }
        List<ShapingOverride> expired;
        synchronized (this) {
            expired = overrides.stream().filter(o -> !o.activeAt(now)).toList();
            if (!expired.isEmpty()) {
                store(overrides.stream().filter(o -> o.activeAt(now)).toList());
            }
        }
        expired.forEach(o -> {
            log.atInfo().addKeyValue("source", o.source()).addKeyValue("site", o.site()).addKeyValue("key", o.name())
                    .log("shaping override expired");
            notify(o.source(), o.site());
        });
        return generation;
    }

    /** Overrides {@code name} for the path until {@code now + duration}, replacing an override of the same key. */
    public ShapingOverride set(String source, String site, String name, Object value, Duration duration, String reason) {
        Instant now = clock.instant();
        ShapingOverride set = new ShapingOverride(source, site, name, value, reason, now, now.plus(duration));
        synchronized (this) {
            List<ShapingOverride> next = new ArrayList<>();
            for (ShapingOverride o : overrides) {
                if (o.activeAt(now) && !samePathAndKey(o, set)) {
                    next.add(o);
                }
            }
            next.add(set);
            store(next);
        }
        log.atInfo().addKeyValue("source", source).addKeyValue("site", site).addKeyValue("key", name)
                .addKeyValue("value", value).addKeyValue("expires_at", set.expiresAt()).addKeyValue("reason", reason)
                .log("shaping override set");
        notify(source, site);
        return set;
    }

    /** Ends the active override of {@code name} on the path, if there is one. */
    public Optional<ShapingOverride> end(String source, String site, String name) {
        Instant now = clock.instant();
        Optional<ShapingOverride> ended;
        synchronized (this) {
            ended = active(source, site, name, now);
            ended.ifPresent(e -> store(overrides.stream().filter(o -> o.activeAt(now) && o != e).toList()));
        }
        ended.ifPresent(e -> {
            log.atInfo().addKeyValue("source", source).addKeyValue("site", site).addKeyValue("key", name)
                    .log("shaping override ended");
            notify(source, site);
        });
        return ended;
    }

    private static boolean samePathAndKey(ShapingOverride a, ShapingOverride b) {
        return a.source().equals(b.source()) && a.site().equalsIgnoreCase(b.site()) && a.name().equals(b.name());
    }

    /** Writes the file, then makes the list visible (caller holds the lock). */
    private void store(List<ShapingOverride> next) {
        write(next);
        overrides = List.copyOf(next);
        nextExpiry = next.stream().map(ShapingOverride::expiresAt).min(Instant::compareTo).orElse(Instant.MAX);
        generation++;
    }

    private void notify(String source, String site) {
        for (Listener listener : listeners) {
            listener.changed(source, site);
        }
    }

    // ---- the file

    private void write(List<ShapingOverride> list) {
        ArrayNode array = json.createArrayNode();
        for (ShapingOverride o : list) {
            ObjectNode node = array.addObject();
            node.put("source", o.source());
            node.put("site", o.site());
            node.put("name", o.name());
            if (o.value() instanceof Long l) {
                node.put("value", l);
            } else if (o.value() instanceof Double d) {
                node.put("value", d);
            } else if (o.value() instanceof Boolean b) {
                node.put("value", b);
            } else {
                node.put("value", (String) o.value());
            }
            node.put("reason", o.reason());
            node.put("created_at", o.createdAt().toString());
            node.put("expires_at", o.expiresAt().toString());
        }
        try {
            DurableFiles.replace(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(array));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private List<ShapingOverride> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<ShapingOverride> list = new ArrayList<>();
        for (JsonNode node : json.readTree(file.toFile())) {
            list.add(new ShapingOverride(text(node, "source"), text(node, "site"), text(node, "name"), value(node.get("value")),
                    node.path("reason").asText(""), Instant.parse(text(node, "created_at")),
                    Instant.parse(text(node, "expires_at"))));
        }
        return list;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("\"" + key + "\" missing or not a string in " + node);
        }
        return value.asText();
    }

    /** An override's value as written to JSON, back as the shaping keys' parsers take it. */
    static Object value(JsonNode value) {
        if (value == null) {
            throw new IllegalArgumentException("an override without a value");
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        throw new IllegalArgumentException("an override value must be a string, number or boolean, got " + value);
    }

    @Override
    public int phase() {
        return Phases.ADMIN_RULES;
    }

    @Override
    public String name() {
        return "shaping-overrides";
    }

    /** Reads the overrides still active; a damaged file stops the start, as for admin rules. */
    @Override
    public synchronized void start() throws IOException {
        Instant now = clock.instant();
        List<ShapingOverride> restored;
        try {
            restored = read().stream().filter(o -> o.activeAt(now)).toList();
        } catch (RuntimeException e) {
            throw new IOException(file + ": unreadable shaping overrides: " + e.getMessage(), e);
        }
        overrides = restored;
        nextExpiry = restored.stream().map(ShapingOverride::expiresAt).min(Instant::compareTo).orElse(Instant.MAX);
        generation++;
        if (!restored.isEmpty()) {
            log.atInfo().addKeyValue("overrides", restored.size()).log("shaping overrides restored");
        }
    }

    @Override
    public void stop(Duration grace) {
        // every change is already on disk
    }
}
