package io.runnel.kernel.cli;

import io.runnel.kernel.boot.Runnel;
import io.runnel.kernel.config.RunnelConfig;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code runnel run}: starts the daemon and runs until SIGTERM or SIGINT. */
@Command(name = "run", description = "Start the daemon (the default).")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    private RunnelCommand parent;

    RunCommand() {
    }

    RunCommand(RunnelCommand parent) {
        this.parent = parent;
    }

    @Override
    public Integer call() throws Exception {
        Optional<RunnelConfig> loaded = parent.configOrReport();
        if (loaded.isEmpty()) {
            return RunnelCommand.CONFIG_ERROR;
        }
        RunnelConfig config = loaded.get();
        Runnel runnel;
        try {
            runnel = Runnel.start(config, Clock.systemUTC());
        } catch (Exception e) {
            System.err.println("runnel: cannot start: " + e.getMessage());
            log.atError().setCause(e).log("start failed");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            runnel.close();
            log.info("stopped");
            stopped.countDown();
            Runtime.getRuntime().halt(0); // an orderly stop on SIGTERM is a success, not the JVM's 143
        }, "shutdown"));
        log.atInfo().addKeyValue("home", config.home()).addKeyValue("listeners", runnel.listenerAddresses()).log("runnel started");
        stopped.await();
        return 0;
    }
}
