package io.runnel.kernel.delivery;

import io.runnel.api.shaping.DestinationState;
import io.runnel.api.shaping.ShapingDecision;
import io.runnel.api.shaping.ShapingStrategy;
import io.runnel.kernel.plugin.PluginExtension;
import io.runnel.kernel.plugin.PluginHost;
import io.runnel.kernel.reload.Live;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consults the {@link ShapingStrategy} that {@code [shaping] strategy} names (a plugin's id) before a ready queue
 * opens connections. Without one, the static shaping alone applies. A strategy that throws, or a name no started
 * plugin has, leaves the static shaping too, with a warning (once per name or failure kind).
 */
@Singleton
final class StrategyShaping {

    private static final Logger log = LoggerFactory.getLogger(StrategyShaping.class);

    private final PluginHost plugins;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Inject
    StrategyShaping(PluginHost plugins) {
        this.plugins = plugins;
    }

    void consult(Live live, ReadyQueue queue, Instant now) {
        Optional<String> name = live.config().delivery().strategy();
        Optional<ShapingStrategy> strategy = name.flatMap(this::strategy);
        if (strategy.isEmpty()) {
            queue.strategy(Integer.MAX_VALUE, Optional.empty());
            return;
        }
        ReadyQueueSnapshot snapshot = queue.snapshot();
        DestinationState state = new DestinationState(snapshot.site(), snapshot.connections(),
                queue.recent().deliveries(now), queue.recent().transientFailures(now), queue.suspended());
        ShapingDecision decision;
        try {
            decision = strategy.get().decide(state, now);
        } catch (Exception | LinkageError e) {
            if (warned.add(name.get() + ":" + e.getClass().getName())) {
                log.atWarn().addKeyValue("strategy", name.get()).setCause(e).log("shaping strategy failed; static shaping applies");
            }
            queue.strategy(Integer.MAX_VALUE, Optional.empty());
            return;
        }
        if (decision instanceof ShapingDecision.SendNow send) {
            queue.strategy(send.maxConnections(), Optional.empty());
        } else if (decision instanceof ShapingDecision.DelayUntil delay) {
            queue.strategy(Integer.MAX_VALUE, Optional.of(delay.until()));
        } else if (decision instanceof ShapingDecision.Suspend suspend) {
            if (queue.strategy(Integer.MAX_VALUE, Optional.of(suspend.until()))) {
                log.atInfo().addKeyValue("strategy", name.get()).addKeyValue("site", state.site())
                        .addKeyValue("until", suspend.until()).log("shaping strategy suspends the site: {}", suspend.reason());
            }
        }
    }

    private Optional<ShapingStrategy> strategy(String name) {
        Optional<ShapingStrategy> found = plugins.extensions(ShapingStrategy.class).stream()
                .filter(e -> e.pluginId().equals(name)).map(PluginExtension::extension).findFirst();
        if (found.isEmpty() && warned.add(name)) {
            log.atWarn().addKeyValue("strategy", name).log("no started plugin offers shaping strategy \"{}\"; static shaping applies", name);
        }
        return found;
    }
}
