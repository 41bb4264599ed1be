package io.runnel.plugin.clamav;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real clamd (Debian clamav-daemon) for tests, with its own signature database: no signatures can be downloaded,
 * so {@code test.hdb} holds the MD5 of the EICAR test file, which matches a scanned file (or mail attachment) that is
 * exactly EICAR. A missing clamd skips the test, except on CI (CI=true), where it fails.
 */
public final class Clamd implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/clamd");
    public static final String SIGNATURE = "Eicar-Test-Signature";

    private final Process process;
    private final Path dir;
    final int port;

    private Clamd(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts clamd in {@code dir} on a free port and waits until it answers PING. */
    public static Clamd start(Path dir) throws IOException {
        requireBinary();
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.writeString(db.resolve("test.hdb"),
                "44d88612fea8a8f36de82e1278abb02f:68:" + SIGNATURE + "\n", StandardCharsets.US_ASCII);
        int port = freePort();
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
        Path confFile = dir.resolve("clamd.conf");
        Files.writeString(confFile, conf.toString(), StandardCharsets.US_ASCII);
        Process process = new ProcessBuilder(BINARY.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("clamd.out").toFile()).start();
        Clamd clamd = new Clamd(process, dir, port);
        ClamdClient client = new ClamdClient("127.0.0.1", port, Duration.ofSeconds(2), 65_536);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("clamd exited with " + process.exitValue() + ": " + clamd.log());
                }
                try {
                    return client.ping();
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            clamd.close();
            throw e;
        }
        return clamd;
    }

    /** The scanner's config pointing at this clamd, plus {@code extra}. */
    /** The port clamd listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    Map<String, Object> config(Map<String, Object> extra) {
        var config = new java.util.HashMap<String, Object>(extra);
        config.put("host", "127.0.0.1");
        config.put("port", (long) port);
        return config;
    }

    String log() {
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"clamd.out", "clamd.log"}) {
            try {
                out.append(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(no ").append(name).append(")");
            }
        }
        return out.toString();
    }

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

    public static void requireBinary() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String what = BINARY + " (Debian clamav-daemon) is missing";
        if ("true".equals(System.getenv("CI"))) {
            fail(what);
        }
        assumeTrue(false, what);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
