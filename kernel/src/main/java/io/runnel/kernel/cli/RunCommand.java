package io.runnel.kernel.cli;

import io.runnel.kernel.boot.Runnel;
import io.runnel.kernel.config.ConfigReloader;
import io.runnel.kernel.config.RunnelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            runnel = Runnel.start(config, parent.configFile(), Clock.systemUTC());
        } catch (Exception e) {
            System.err.println("runnel: cannot start: " + e.getMessage());
            log.atError().setCause(e).log("start failed");
            return 1;
        }
        Path pid = PidFile.of(config);
        writePid(pid);
        ReloadSignal.install(runnel.get(ConfigReloader.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            runnel.close();
            deletePid(pid);
            log.info("stopped");
            stopped.countDown();
            Runtime.getRuntime().halt(0); // an orderly stop on SIGTERM is a success, not the JVM's 143
        }, "shutdown"));
        log.atInfo().addKeyValue("home", config.home()).addKeyValue("listeners", runnel.listenerAddresses()).log("runnel started");
        stopped.await();
        return 0;
    }

    private static void writePid(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            log.atWarn().setCause(e).log("pid file {} not written: runnel reload will not find this daemon", file);
        }
    }

    private static void deletePid(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.atWarn().setCause(e).log("pid file {} not removed", file);
        }
    }
}
