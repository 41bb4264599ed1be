package io.runnel.kernel.shaping.store;

import static org.awaitility.Awaitility.await;

import io.runnel.kernel.config.RedisConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real redis-server (Debian's package) on a free loopback port, with no persistence, its files in a test's temp
 * folder. Tests kill it, freeze it and start it again on the same port to play an outage.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final String BINARY = "/usr/bin/redis-server";

    private final Path folder;
    private final int port;
    private Process process;

    private RedisServerProcess(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    /** Starts a server on a free port, its log and working files in {@code folder}; returns once it answers PING. */
    public static RedisServerProcess start(Path folder) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisServerProcess redis = new RedisServerProcess(folder, port);
        redis.restart();
        return redis;
    }

    /** Starts the server again (after {@link #kill()}) on the same port, empty. */
    public void restart() throws IOException {
        process = new ProcessBuilder(List.of(BINARY, "--save", "", "--appendonly", "no", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", folder.toString(), "--logfile", folder.resolve("redis-" + port + ".log").toString()))
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("redis-" + port + ".out").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::answers);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** A config pointing at this server, with the given lease ttl and a short probe interval, so tests stay quick. */
    public RedisConfig config(String keyPrefix, Duration leaseTtl) {
        return new RedisConfig(Optional.of(new RedisConfig.Endpoint("127.0.0.1", port, false, 0, Optional.empty(), Optional.empty())),
                keyPrefix, Duration.ofMillis(100), leaseTtl, Duration.ofMillis(200));
    }

    /** kill -9: the server vanishes without a word; connections break. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: the server keeps its connections open but answers nothing, like a hung host. */
    public void freeze() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited; see " + folder);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(); // nothing to save, and it may be frozen
        }
    }
}
