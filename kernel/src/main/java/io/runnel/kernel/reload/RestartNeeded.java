package io.runnel.kernel.reload;

import io.runnel.kernel.config.PluginsConfig;
import io.runnel.kernel.config.RunnelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings a reload cannot apply to the running daemon: they are read once, when listeners, the spool, the
 * resolver, the log, the plugins, the metrics endpoint and the rule threads are set up.
 */
final class RestartNeeded {

    private RestartNeeded() {
    }

    static List<String> between(RunnelConfig running, RunnelConfig next) {
        List<String> needed = new ArrayList<>();
        if (!running.server().equals(next.server())) {
            needed.add("server");
        }
        if (!running.listeners().equals(next.listeners())) {
            needed.add("listener");
        }
        if (!running.spool().equals(next.spool())) {
            needed.add("spool");
        }
        if (!running.log().equals(next.log())) {
            needed.add("log");
        }
        if (!running.dns().equals(next.dns())) {
            needed.add("dns");
        }
        if (!running.users().equals(next.users())) {
            needed.add("auth");
        }
        if (!samePlugins(running.plugins(), next.plugins())) {
            needed.add("plugins");
        }
        if (!running.metrics().equals(next.metrics())) {
            needed.add("metrics");
        }
        if (running.rules().threads() != next.rules().threads()) {
            needed.add("rules.threads");
        }
        return needed;
    }

    /** TOML tables have no value equality: their JSON form does. */
    private static boolean samePlugins(PluginsConfig a, PluginsConfig b) {
        if (!a.path().equals(b.path()) || !a.required().equals(b.required()) || !a.tables().keySet().equals(b.tables().keySet())) {
            return false;
        }
        return a.tables().entrySet().stream().allMatch(e -> e.getValue().toJson().equals(b.tables().get(e.getKey()).toJson()));
    }
}
