package io.runnel.kernel.shaping.automation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.queue.QueueSelector;
import io.runnel.kernel.shaping.store.ShapingStores;
import io.runnel.kernel.shaping.store.SharedNotices;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares automation's actions between the nodes of one Redis ({@code [redis]}): each action a node applies is
 * published with its expiry, and every node applies the others' (for the time they have left) within
 * {@link #POLL} of their publication. Without Redis it does nothing: actions stay on the node that took them.
 */
@Singleton
public final class SharedAutomation implements Service {

    static final Duration POLL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(SharedAutomation.class);

    private final Optional<SharedNotices> notices;
    private final ActionLedger ledger;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** Notices seen in the last poll, so each is applied once. */
    private Set<String> seen = Set.of();
    private ScheduledExecutorService timer;

    @Inject
    SharedAutomation(ShapingStores stores, ActionLedger ledger, Clock clock) {
        this(stores.notices(), ledger, clock);
    }

    SharedAutomation(Optional<SharedNotices> notices, ActionLedger ledger, Clock clock) {
        this.notices = notices;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** A suspension or admin bounce this node applied. */
    void suspended(boolean bounce, QueueSelector selector, String reason, Instant expiresAt) {
        notices.ifPresent(shared -> {
            ObjectNode node = json.createObjectNode().put("kind", bounce ? "bounce" : "suspend")
                    .put("tenant", selector.tenant()).put("campaign", selector.campaign())
                    .put("site", selector.site()).put("source", selector.source());
            publish(shared, node, reason, expiresAt);
        });
    }

    /** A shaping override this node applied. */
    void overridden(String source, String site, String name, Object value, String reason, Instant expiresAt) {
        notices.ifPresent(shared -> {
            ObjectNode node = json.createObjectNode().put("kind", "set").put("source", source).put("site", site)
                    .put("name", name);
            node.set("value", json.valueToTree(value));
            publish(shared, node, reason, expiresAt);
        });
    }

    private void publish(SharedNotices shared, ObjectNode node, String reason, Instant expiresAt) {
        node.put("reason", reason).put("expires_at", expiresAt.toString());
        shared.publish(node.toString(), expiresAt);
    }

    /** Applies the other nodes' actions published since the last poll. */
    synchronized void poll() {
        Instant now = clock.instant();
        List<String> current = notices.map(shared -> shared.current(now)).orElse(List.of());
        for (String notice : current) {
            if (!seen.contains(notice)) {
                apply(notice, now);
            }
        }
        seen = new HashSet<>(current);
    }

    private void apply(String notice, Instant now) {
        try {
            JsonNode node = json.readTree(notice);
            Duration left = Duration.between(now, Instant.parse(node.path("expires_at").asText()));
            if (left.isNegative() || left.isZero()) {
                return;
            }
            String reason = node.path("reason").asText();
            boolean applied = switch (node.path("kind").asText()) {
                case "suspend" -> ledger.suspend(selector(node), reason, left);
                case "bounce" -> ledger.bounce(selector(node), reason, left);
                case "set" -> ledger.setConfig(node.path("source").asText(), node.path("site").asText(),
                        node.path("name").asText(), ShapingOverrides.value(node.get("value")), left, reason, now);
                default -> false;
            };
            if (applied) {
                log.atWarn().addKeyValue("action", node.path("kind").asText()).addKeyValue("site", node.path("site").asText())
                        .addKeyValue("source", node.path("source").asText()).addKeyValue("left", left)
                        .log("automation action applied from another node: {}", reason);
            }
        } catch (IOException | RuntimeException e) {
            log.atWarn().setCause(e).log("unreadable shared automation action ignored");
        }
    }

    private static QueueSelector selector(JsonNode node) {
        return new QueueSelector(node.path("tenant").asText(""), node.path("campaign").asText(""), "",
                node.path("site").asText(""), node.path("source").asText(""));
    }

    @Override
    public int phase() {
        return Phases.SHARED_AUTOMATION;
    }

    @Override
    public String name() {
        return "shared-automation";
    }

    @Override
    public void start() {
        if (notices.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shared-automation");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(Duration grace) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
