package io.runnel.plugin.spamassassin;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real spamd (Debian package spamd) on a free loopback port, for tests: rules from /usr/share/spamassassin, a
 * private site config dir, no DNS, no user preferences. Skips the test when spamd is missing, fails on CI.
 */
public final class Spamd implements AutoCloseable {

    static final Path SPAMD = Path.of("/usr/sbin/spamd");

    private final Path dir;
    private final Process process;
    private final int port;

    private Spamd(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    public static Spamd start() throws IOException {
        if (!Files.isExecutable(SPAMD)) {
            if ("true".equals(System.getenv("CI"))) {
                fail(SPAMD + " (Debian packages spamd spamassassin) is required on CI");
            }
            assumeTrue(false, SPAMD + " not installed (apt-get install spamd spamassassin); skipping");
        }
        Path dir = Files.createTempDirectory("runnel-spamd");
        // readable by everyone: run as root, spamd serves requests as nobody
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path site = Files.createDirectories(dir.resolve("site"));
        // spamd reads .pre files from the site config path only; the Check plugin runs the rules (GTUBE among them).
        // Nothing else: the other plugins' rules are in ifplugin blocks and start-up stays fast.
        Files.writeString(site.resolve("init.pre"), "loadplugin Mail::SpamAssassin::Plugin::Check\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(SPAMD.toString(),
                "--listen=127.0.0.1:" + port,
                "--allowed-ips=127.0.0.1",
                "--max-children=1",
                "--pidfile=" + dir.resolve("spamd.pid"),
                "--siteconfigpath=" + site,
                "--nouser-config",
                "--local",
                "--syslog=stderr"));
        Path log = dir.resolve("spamd.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Spamd spamd = new Spamd(dir, process, port);
        try {
            // spamd binds, loads the rules, then writes its pid file and forks the child that serves requests
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("spamd exited with " + process.exitValue() + ":\n" + spamd.log());
                }
                return Files.exists(dir.resolve("spamd.pid")) && spamd.accepts();
            });
        } catch (RuntimeException | AssertionError e) {
            spamd.close();
            throw e;
        }
        return spamd;
    }

    public int port() {
        return port;
    }

    Map<String, Object> config() {
        return Map.of("host", "127.0.0.1", "port", (long) port, "timeout", "30s");
    }

    String log() {
        try {
            return Files.readString(dir.resolve("spamd.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops spamd and its children (SIGTERM, then SIGKILL) and removes its directory. */
    void stop() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
