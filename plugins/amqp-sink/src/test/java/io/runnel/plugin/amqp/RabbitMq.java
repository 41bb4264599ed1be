package io.runnel.plugin.amqp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real RabbitMQ (Debian's rabbitmq-server) for tests: its own epmd, node name, data and log folders under
 * {@code dir}, listening on free loopback ports only (AMQP, Erlang distribution, epmd), with user {@link #USER}.
 * {@link #stop()} and {@link #start()} restart the node on the same ports and data, as an outage would. A missing
 * package skips the test, except on CI (CI=true), where it fails.
 */
final class RabbitMq implements AutoCloseable {

    static final Path INSTALL = Path.of("/usr/lib/rabbitmq/lib");
    static final String USER = "runnel";
    static final String PASSWORD = "secret";

    private final Path dir;
    private final Path script;
    private final Process epmd;
    private final int epmdPort;
    private final int distPort;
    final int port;
    final int tlsPort;
    final TestCertificate certificate;
    private Process node;

    private RabbitMq(Path dir, Path script, Process epmd, int epmdPort, int distPort, int port, int tlsPort,
                     TestCertificate certificate) {
        this.dir = dir;
        this.script = script;
        this.epmd = epmd;
        this.epmdPort = epmdPort;
        this.distPort = distPort;
        this.port = port;
        this.tlsPort = tlsPort;
        this.certificate = certificate;
    }

    /**
     * Starts epmd and a node in {@code dir} and waits until the node accepts AMQP connections: plain on
     * {@link #port}, TLS on {@link #tlsPort} with a self-signed {@link #certificate} for {@code localhost}.
     */
    static RabbitMq start(Path dir) throws IOException, GeneralSecurityException {
        Path script = serverScript();
        TestCertificate certificate = TestCertificate.create(dir);
        int tlsPort = freePort();
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("rabbitmq-env.conf"), "", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n",
                "default_user = " + USER,
                "default_pass = " + PASSWORD,
                "loopback_users = none",
                "listeners.ssl.local = 127.0.0.1:" + tlsPort,
                "ssl_options.certfile = " + certificate.certificate(),
                "ssl_options.keyfile = " + certificate.privateKey(),
                "ssl_options.verify = verify_none",
                "ssl_options.fail_if_no_peer_cert = false",
                ""), StandardCharsets.US_ASCII);
        int epmdPort = freePort();
        Process epmd = new ProcessBuilder("epmd", "-port", String.valueOf(epmdPort), "-address", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("epmd.out").toFile()).start();
        RabbitMq rabbit = new RabbitMq(dir, script, epmd, epmdPort, freePort(), freePort(), tlsPort, certificate);
        try {
            rabbit.start();
        } catch (RuntimeException | IOException e) {
            rabbit.close();
            throw e;
        }
        return rabbit;
    }

    /** (Re)starts the node and waits until it accepts AMQP connections. */
    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(script.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rabbitmq.out").toFile()));
        Map<String, String> env = builder.environment();
        env.put("HOME", dir.toString()); // the Erlang cookie
        env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_NODENAME", "runnel-test-" + port + "@localhost");
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString());
        env.put("RABBITMQ_PLUGINS_EXPAND_DIR", dir.resolve("plugins-expand").toString());
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", String.valueOf(port));
        env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
        env.put("ERL_EPMD_PORT", String.valueOf(epmdPort));
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        Process started = builder.start();
        node = started;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("rabbitmq-server exited with " + started.exitValue() + ": " + log());
            }
            // the TLS listener opens just after the plain one
            try (Connection ignored = connectionFactory().newConnection();
                 Socket tls = new Socket(InetAddress.getLoopbackAddress(), tlsPort)) {
                return true;
            } catch (IOException | TimeoutException notYet) {
                return false;
            }
        });
    }

    /** Stops the node (SIGTERM: a clean shutdown that keeps durable queues and persistent messages). */
    void stop() {
        if (node != null) {
            terminate(node);
            node = null;
        }
    }

    ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setUsername(USER);
        factory.setPassword(PASSWORD);
        factory.setConnectionTimeout(2_000);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    String uri() {
        return "amqp://127.0.0.1:" + port + "/%2F";
    }

    String tlsUri() {
        return "amqps://localhost:" + tlsPort + "/%2F";
    }

    String log() {
        try (Stream<Path> logs = Files.exists(dir.resolve("log")) ? Files.list(dir.resolve("log")) : Stream.empty()) {
            StringBuilder out = new StringBuilder(Files.readString(dir.resolve("rabbitmq.out")));
            for (Path log : logs.toList()) {
                out.append("\n--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        terminate(epmd);
    }

    private static void terminate(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path serverScript() throws IOException {
        if (Files.isDirectory(INSTALL)) {
            try (Stream<Path> versions = Files.list(INSTALL)) {
                Path script = versions.map(v -> v.resolve("sbin/rabbitmq-server")).filter(Files::isExecutable)
                        .findFirst().orElse(null);
                if (script != null) {
                    return script;
                }
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("rabbitmq-server is not installed; .ci/run installs it");
        }
        assumeTrue(false, "rabbitmq-server is not installed (apt-get install -y rabbitmq-server)");
        throw new IllegalStateException("unreachable");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
