package io.runnel.kernel.cli;

import io.runnel.kernel.config.ListenerConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.rules.RuleEngine;
import io.runnel.kernel.rules.RuleException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code runnel check-config}: validates the configuration and the rules and prints what they mean, without starting. */
@Command(name = "check-config", description = "Validate the configuration and rules/*.groovy and print a summary.")
final class CheckConfigCommand implements Callable<Integer> {

    @ParentCommand
    private RunnelCommand parent;

    @Override
    public Integer call() {
        Optional<RunnelConfig> loaded = parent.configOrReport();
        if (loaded.isEmpty()) {
            return RunnelCommand.CONFIG_ERROR;
        }
        RunnelConfig config = loaded.get();
        List<String> rules;
        try {
            rules = RuleEngine.check(config.rules());
        } catch (RuleException e) {
            System.err.println("runnel: rule error: " + config.rules().folder().resolve(e.file()) + e.line().map(l -> ":" + l).orElse("")
                    + ": " + e.reason());
            return RunnelCommand.CONFIG_ERROR;
        }
        System.out.println("configuration ok");
        System.out.println("hostname: " + config.server().hostname());
        System.out.println("spool:    " + config.spool().path() + " (sync " + config.spool().sync().name().toLowerCase() + ")");
        for (ListenerConfig l : config.listeners()) {
            System.out.println("listener " + l.name() + ": " + l.bind().getAddress().getHostAddress() + ":" + l.bind().getPort()
                    + " tls=" + l.tls().name().toLowerCase() + " relay_hosts=" + l.relayFrom());
        }
        System.out.println("auth users: " + config.users().size());
        System.out.println("rules: " + (rules.isEmpty() ? "none" : String.join(", ", rules)) + " (" + config.rules().folder() + ")");
        return 0;
    }
}
