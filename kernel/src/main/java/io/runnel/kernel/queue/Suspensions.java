package io.runnel.kernel.queue;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's suspensions and admin bounces ({@link AdminRule}): what the queue manager and the delivery path
 * ask before moving mail, and what the control plane (and later traffic-shaping automation) changes. Rules end by
 * themselves at their expiry. Every change is written to {@code <data_dir>/admin-rules.json} (a new file, synced,
 * then renamed over the old) before it returns, so rules survive a restart.
 *
 * <p>Reads are lock-free (one immutable list); the delivery path asks for every due message.
 */
public final class Suspensions implements Service {

    private static final Logger log = LoggerFactory.getLogger(Suspensions.class);
    static final String FILE = "admin-rules.json";

    private final Clock clock;
    private final Path file;
    private final RandomGenerator random;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, AtomicLong> bounced = new ConcurrentHashMap<>();
    private volatile List<AdminRule> rules = List.of();
    /** The last {@link #activeRules} answer and the list it came from: kept while that list is current. */
    private volatile Answered answered = new Answered(rules, new ActiveRules(List.of(), Instant.MAX));

    private record Answered(List<AdminRule> from, ActiveRules rules) {
    }

    @Inject
    public Suspensions(Clock clock, RunnelConfig config, RandomGenerator random) {
        this(clock, config.server().dataDir(), random);
    }

    /** Rules kept in {@code dataDir}. */
    public Suspensions(Clock clock, Path dataDir, RandomGenerator random) {
        this.clock = clock;
        this.file = dataDir.resolve(FILE);
        this.random = random;
    }

    // ---- asked on the delivery path

    /** The active suspension holding this scheduled queue, if one matches on tenant, campaign and domain alone. */
    public Optional<AdminRule> holding(QueueName queue) {
        return find(AdminRule.Kind.SUSPEND, r -> !r.selector().needsRoute() && r.selector().matchesQueue(queue));
    }

    /** The active suspension holding a routed message (any selector). */
    public Optional<AdminRule> holding(QueueName queue, String site, String source) {
        return find(AdminRule.Kind.SUSPEND, r -> r.selector().matches(queue, site, source));
    }

    /** The active admin bounce for mail of this queue, if one matches on tenant, campaign and domain alone. */
    public Optional<AdminRule> bouncing(QueueName queue) {
        return find(AdminRule.Kind.BOUNCE, r -> !r.selector().needsRoute() && r.selector().matchesQueue(queue));
    }

    /** The active admin bounce for a routed message (any selector). */
    public Optional<AdminRule> bouncing(QueueName queue, String site, String source) {
        return find(AdminRule.Kind.BOUNCE, r -> r.selector().matches(queue, site, source));
    }

    /** The rules in force at {@code now}: the same instance as long as that answer stands. */
    ActiveRules activeRules(Instant now) {
        Answered last = answered;
        List<AdminRule> all = rules;
        if (last.from() == all && now.isBefore(last.rules().validUntil())) {
            return last.rules();
        }
        List<AdminRule> active = new ArrayList<>();
        Instant validUntil = Instant.MAX;
        for (AdminRule rule : all) {
            if (rule.activeAt(now)) {
                active.add(rule);
                validUntil = rule.expiresAt().filter(validUntil::isAfter).orElse(validUntil);
            }
        }
        ActiveRules next = new ActiveRules(active, validUntil);
        answered = new Answered(all, next);
        return next;
    }

    /** Counts one bounced message against its rule (in memory: since start). */
    public void countBounce(AdminRule rule) {
        bounced.computeIfAbsent(rule.id(), id -> new AtomicLong()).incrementAndGet();
    }

    public long bouncedBy(AdminRule rule) {
        AtomicLong count = bounced.get(rule.id());
        return count == null ? 0 : count.get();
    }

    private Optional<AdminRule> find(AdminRule.Kind kind, Predicate<AdminRule> test) {
        List<AdminRule> current = rules;
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        for (AdminRule rule : current) {
            if (rule.kind() == kind && rule.activeAt(now) && test.test(rule)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    // ---- changed by the operator

    /**
     * Holds matching mail for {@code duration} (empty: until resumed). A suspension with the same selector is
     * replaced, keeping its id, so suspending twice extends rather than stacks.
     */
    public synchronized AdminRule suspend(QueueSelector selector, String reason, Optional<Duration> duration) {
        Instant now = clock.instant();
        String id = active(AdminRule.Kind.SUSPEND).stream().filter(r -> r.selector().equals(selector))
                .map(AdminRule::id).findFirst().orElseGet(this::newId);
        AdminRule rule = new AdminRule(id, AdminRule.Kind.SUSPEND, selector, reason, now, duration.map(now::plus), false);
        replace(id, Optional.of(rule));
        log.atInfo().addKeyValue("rule", id).addKeyValue("selector", selector).addKeyValue("reason", reason)
                .addKeyValue("expires_at", rule.expiresAt().map(Instant::toString).orElse("never")).log("suspended");
        return rule;
    }

    /** Bounces matching mail until {@code now + duration}. */
    public synchronized AdminRule bounce(QueueSelector selector, String reason, Duration duration, boolean suppressDsn) {
        Instant now = clock.instant();
        AdminRule rule = new AdminRule(newId(), AdminRule.Kind.BOUNCE, selector, reason, now, Optional.of(now.plus(duration)),
                suppressDsn);
        replace(rule.id(), Optional.of(rule));
        log.atInfo().addKeyValue("rule", rule.id()).addKeyValue("selector", selector).addKeyValue("reason", reason)
                .addKeyValue("expires_at", rule.expiresAt().orElseThrow()).log("admin bounce");
        return rule;
    }

    /** Ends an active rule of {@code kind} by id. */
    public synchronized Optional<AdminRule> end(AdminRule.Kind kind, String id) {
        Optional<AdminRule> rule = active(kind).stream().filter(r -> r.id().equals(id)).findFirst();
        rule.ifPresent(r -> {
            replace(id, Optional.empty());
            log.atInfo().addKeyValue("rule", id).addKeyValue("selector", r.selector()).log("ended");
        });
        return rule;
    }

    /** Ends every active suspension whose selector is exactly {@code selector}. */
    public synchronized List<AdminRule> resume(QueueSelector selector) {
        List<AdminRule> ended = new ArrayList<>();
        for (AdminRule r : active(AdminRule.Kind.SUSPEND)) {
            if (r.selector().equals(selector)) {
                ended.add(end(AdminRule.Kind.SUSPEND, r.id()).orElseThrow());
            }
        }
        return ended;
    }

    /** The active rules of one kind, oldest first. */
    public List<AdminRule> active(AdminRule.Kind kind) {
        Instant now = clock.instant();
        return rules.stream().filter(r -> r.kind() == kind && r.activeAt(now)).toList();
    }

    private String newId() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Swaps one rule (dropping expired ones) and writes the file before anyone sees the change. */
    private void replace(String id, Optional<AdminRule> rule) {
        Instant now = clock.instant();
        List<AdminRule> next = new ArrayList<>();
        for (AdminRule r : rules) {
            if (r.activeAt(now) && !r.id().equals(id)) {
                next.add(r);
            }
        }
        rule.ifPresent(next::add);
        write(next);
        rules = List.copyOf(next);
    }

    // ---- the file

    private void write(List<AdminRule> list) {
        ArrayNode array = json.createArrayNode();
        for (AdminRule r : list) {
            ObjectNode node = array.addObject();
            node.put("id", r.id());
            node.put("kind", r.kind().name());
            node.put("tenant", r.selector().tenant());
            node.put("campaign", r.selector().campaign());
            node.put("domain", r.selector().domain());
            node.put("site", r.selector().site());
            node.put("source", r.selector().source());
            node.put("reason", r.reason());
            node.put("created_at", r.createdAt().toString());
            r.expiresAt().ifPresent(at -> node.put("expires_at", at.toString()));
            node.put("suppress_dsn", r.suppressDsn());
        }
        try {
            DurableFiles.replace(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(array));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private List<AdminRule> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<AdminRule> list = new ArrayList<>();
        for (JsonNode node : json.readTree(file.toFile())) {
            QueueSelector selector = new QueueSelector(node.path("tenant").asText(""), node.path("campaign").asText(""),
                    node.path("domain").asText(""), node.path("site").asText(""), node.path("source").asText(""));
            Optional<Instant> expires = node.hasNonNull("expires_at")
                    ? Optional.of(Instant.parse(node.get("expires_at").asText())) : Optional.empty();
            list.add(new AdminRule(node.path("id").asText(), AdminRule.Kind.valueOf(node.path("kind").asText()), selector,
                    node.path("reason").asText(""), Instant.parse(node.path("created_at").asText()), expires,
                    node.path("suppress_dsn").asBoolean(false)));
        }
        return list;
    }

    @Override
    public int phase() {
        return Phases.ADMIN_RULES;
    }

    @Override
    public String name() {
        return "admin-rules";
    }

    /** Reads the rules still active; a damaged file stops the start (silently dropping a hold could send mail). */
    @Override
    public synchronized void start() throws IOException {
        Instant now = clock.instant();
        try {
            rules = read().stream().filter(r -> r.activeAt(now)).toList();
        } catch (RuntimeException e) {
            throw new IOException(file + ": unreadable admin rules: " + e.getMessage(), e);
        }
        if (!rules.isEmpty()) {
            log.atInfo().addKeyValue("rules", rules.size()).log("admin rules restored");
        }
    }

    @Override
    public void stop(Duration grace) {
        // every change is already on disk
    }
}
