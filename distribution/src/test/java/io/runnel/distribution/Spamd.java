package io.runnel.distribution;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real spamd (Debian package spamd) on a free loopback port: rules from /usr/share/spamassassin, a private site
 * config dir loading only the Check plugin (GTUBE is among its rules), no DNS, no user preferences. Skips the test
 * when spamd is missing, fails on CI (CI=true). Copied from the spamassassin plugin's tests.
 */
final class Spamd implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/spamd");

    private final Path dir;
    private final Process process;
    private final int port;

    private Spamd(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Starts spamd in {@code dir} (which must be readable by everyone: spamd serves as nobody when root). */
    static Spamd start(Path dir) throws IOException {
        requireBinary();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("init.pre"), "loadplugin Mail::SpamAssassin::Plugin::Check\n");
        int port = RunnelProcess.freePort();
        List<String> command = List.of(BINARY.toString(),
                "--listen=127.0.0.1:" + port,
                "--allowed-ips=127.0.0.1",
                "--max-children=1",
                "--pidfile=" + dir.resolve("spamd.pid"),
                "--siteconfigpath=" + site,
                "--nouser-config",
                "--local",
                "--syslog=stderr");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("spamd.log").toFile()).start();
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

    int port() {
        return port;
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

    /** Stops spamd and its children: SIGTERM, then SIGKILL. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static void requireBinary() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String what = BINARY + " (Debian packages spamd spamassassin) is missing";
        if ("true".equals(System.getenv("CI"))) {
            fail(what);
        }
        assumeTrue(false, what);
    }
}
