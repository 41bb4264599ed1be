package io.runnel.distribution;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The assembled daemon, {@code target/runnel/bin/runnel}, run as a separate process on a home folder of the test's. */
final class RunnelProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private RunnelProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path dist() {
        String dist = System.getProperty("runnel.dist");
        if (dist == null) {
            throw new IllegalStateException("runnel.dist is not set: run through Maven (mvn verify)");
        }
        return Path.of(dist);
    }

    /** Runs {@code bin/runnel args} to completion and returns its exit code; output goes to {@code output}. */
    static int runToCompletion(Path home, Path output, String... args) throws Exception {
        Process p = builder(home, output, args).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/runnel " + String.join(" ", args) + " did not finish");
        }
        return p.exitValue();
    }

    /** Starts the daemon and waits until its listener on {@code port} accepts connections. */
    static RunnelProcess start(Path home, int port, Path log) throws Exception {
        return start(home, port, log, List.of());
    }

    /**
     * As {@link #start(Path, int, Path)}, run through {@code wrapper} (a command that ends by exec-ing its last
     * argument, {@code bin/runnel}): e.g. a private mount namespace. The process id stays the daemon's.
     */
    static RunnelProcess start(Path home, int port, Path log, List<String> wrapper) throws Exception {
        ProcessBuilder builder = builder(home, log);
        if (!wrapper.isEmpty()) {
            builder.command(Stream.concat(wrapper.stream(), builder.command().stream()).toList());
        }
        Process p = builder.start();
        RunnelProcess runnel = new RunnelProcess(p, log);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("runnel exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            return accepts(port);
        });
        return runnel;
    }

    private static ProcessBuilder builder(Path home, Path output, String... args) {
        ProcessBuilder builder = new ProcessBuilder(concat(dist().resolve("bin/runnel").toString(), args));
        builder.environment().put("RUNNEL_HOME", home.toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        return builder;
    }

    private static List<String> concat(String first, String... rest) {
        return Stream.concat(Stream.of(first), Arrays.stream(rest)).toList();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no spool close. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the orderly stop. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("runnel did not stop on SIGTERM");
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /**
     * Writes {@code conf/runnel.toml} for a test daemon: DNS on a dead port (never the machine's resolver), every
     * domain routed to {@code sinkPort}, a plain listener on {@code port}, the control plane on a free port (so
     * concurrent test daemons never clash), then {@code extra}.
     */
    static void writeConfig(Path home, int sinkPort, int port, String extra) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/runnel.toml"), """
                [dns]
                name_servers = ["127.0.0.1:9"]

                [[route]]
                domain = "*"
                hosts = ["127.0.0.1:%d"]

                [grpc]
                listen = "127.0.0.1:0"

                [[listener]]
                bind = "127.0.0.1:%d"
                tls = "off"

                """.formatted(sinkPort, port) + extra);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
