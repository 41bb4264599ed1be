package io.runnel.kernel.reload;

import io.runnel.kernel.config.PluginsConfig;
import io.runnel.kernel.config.ReportConfig;
import io.runnel.kernel.config.RunnelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings a reload cannot apply to the running daemon: they are read once, when listeners, the spool, the
 * resolver, the log, the plugins, the metrics endpoint, the rule threads and the Redis connection are set up.
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
        if (!running.grpc().equals(next.grpc())) {
            needed.add("grpc");
        }
        if (!sameReports(running.reports(), next.reports())) {
            needed.add("log.headers, verp"); // captured log headers and VERP are set up at start
        }
        if (!running.metrics().equals(next.metrics())) {
            needed.add("metrics");
        }
        if (!running.redis().equals(next.redis())) {
            needed.add("redis"); // the connection pool and lease renewal are set up at start
        }
        if (running.rules().threads() != next.rules().threads()) {
            needed.add("rules.threads");
        }
        return needed;
    }

    /** The bounce classifier has no value equality: compare the settings runnel.toml gives. */
    private static boolean sameReports(ReportConfig a, ReportConfig b) {
        return a.logHeaders().equals(b.logHeaders()) && a.verp().equals(b.verp()) && a.bounceDomains().equals(b.bounceDomains())
                && a.feedbackAddresses().equals(b.feedbackAddresses());
    }

    /** TOML tables have no value equality: their JSON form does. */
    private static boolean samePlugins(PluginsConfig a, PluginsConfig b) {
        if (!a.path().equals(b.path()) || !a.required().equals(b.required()) || !a.tables().keySet().equals(b.tables().keySet())) {
            return false;
        }
        return a.tables().entrySet().stream().allMatch(e -> e.getValue().toJson().equals(b.tables().get(e.getKey()).toJson()));
    }
}
