package io.runnel.kernel.cli;

import io.runnel.kernel.config.RunnelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code runnel reload}: tells the running daemon (its pid is in {@code <data_dir>/runnel.pid}) to reload with
 * SIGHUP, waits for its report and prints it. Exit 0 when the new configuration is live, 1 when the daemon refused
 * it (the running one stays), 2 when no daemon runs for this home.
 */
@Command(name = "reload", description = "Reload conf/runnel.toml and rules/ in the running daemon and print the result.")
final class ReloadCommand implements Callable<Integer> {

    @ParentCommand
    private RunnelCommand parent;

    @Option(names = "--timeout", description = "Seconds to wait for the daemon's report (default: ${DEFAULT-VALUE}).",
            defaultValue = "60")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Optional<RunnelConfig> loaded = parent.configOrReport();
        if (loaded.isEmpty()) {
            return RunnelCommand.CONFIG_ERROR;
        }
        Path pidFile = PidFile.of(loaded.get());
        Optional<ProcessHandle> daemon = readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (daemon.isEmpty()) {
            System.err.println("runnel: no running daemon (" + pidFile + ")");
            return 2;
        }
        if (ignoresHangup(daemon.get().pid())) {
            System.err.println("runnel: process " + daemon.get().pid() + " ignores SIGHUP (started under nohup?), so it"
                    + " cannot be asked to reload; edits under conf/ and rules/ reload by themselves (see its log), or"
                    + " restart it without nohup");
            return 2;
        }
        Path report = PidFile.report(loaded.get());
        FileTime before = modified(report);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(daemon.get().pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            System.err.println("runnel: could not signal process " + daemon.get().pid());
            return 2;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (modified(report).equals(before)) {
            if (System.nanoTime() > deadline) {
                System.err.println("runnel: no reload report after " + timeoutSeconds + "s; see the daemon's log");
                return 1;
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling a file another process writes: there is nothing to wait on
        }
        String text = Files.readString(report);
        System.out.print(text);
        return text.startsWith("applied") ? 0 : 1;
    }

    /** True when the process's ignored-signal mask (Linux {@code /proc/<pid>/status}, SigIgn) holds SIGHUP. */
    static boolean ignoresHangup(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & 1L) != 0; // SIGHUP is 1
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc (not Linux) or an unexpected format: send the signal and see
        }
        return false;
    }

    private static Optional<Long> readPid(Path file) throws IOException {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static FileTime modified(Path file) throws IOException {
        try {
            return Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return FileTime.fromMillis(0);
        }
    }
}
