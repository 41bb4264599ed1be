package io.runnel.distribution;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real clamd (Debian clamav-daemon) on a free loopback port with a one-signature database: no signatures can be
 * downloaded, so {@code test.hdb} holds the MD5 of the EICAR test file. Skips the test when clamd is missing, fails
 * on CI (CI=true). Copied from the clamav plugin's tests, without its client.
 */
final class Clamd implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/clamd");
    static final String SIGNATURE = "Eicar-Test-Signature";

    private final Process process;
    private final Path dir;
    private final int port;

    private Clamd(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts clamd in {@code dir} and waits until it answers PING. */
    static Clamd start(Path dir) throws IOException {
        requireBinary();
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.writeString(db.resolve("test.hdb"), "44d88612fea8a8f36de82e1278abb02f:68:" + SIGNATURE + "\n",
                StandardCharsets.US_ASCII);
        int port = RunnelProcess.freePort();
        StringBuilder conf = new StringBuilder()
                .append("TCPSocket ").append(port).append('\n')
                .append("TCPAddr 127.0.0.1\n")
                .append("DatabaseDirectory ").append(db).append('\n')
                .append("Foreground yes\n")
                .append("LogFile ").append(dir.resolve("clamd.log")).append('\n')
                .append("PidFile ").append(dir.resolve("clamd.pid")).append('\n')
                .append("StreamMaxLength 10M\n")
                .append("ScanMail yes\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // as root clamd drops to its configured User (Debian: clamav), which could not read our temp files
            conf.append("User root\n");
        }
        Path confFile = Files.writeString(dir.resolve("clamd.conf"), conf.toString(), StandardCharsets.US_ASCII);
        Process process = new ProcessBuilder(BINARY.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
        Clamd clamd = new Clamd(process, dir, port);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("clamd exited with " + process.exitValue() + ": " + clamd.log());
                }
                return clamd.pongs();
            });
        } catch (RuntimeException | AssertionError e) {
            clamd.close();
            throw e;
        }
        return clamd;
    }

    int port() {
        return port;
    }

    private boolean pongs() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).startsWith("PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    String log() {
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"clamd.out", "clamd.log"}) {
            try {
                out.append(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(no ").append(name).append(')');
            }
        }
        return out.toString();
    }

    /** SIGTERM, then SIGKILL; returns once clamd is gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void requireBinary() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String what = BINARY + " (Debian clamav-daemon) is missing";
        if ("true".equals(System.getenv("CI"))) {
            fail(what);
        }
        assumeTrue(false, what);
    }
}
