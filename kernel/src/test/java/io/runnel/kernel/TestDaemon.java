package io.runnel.kernel;

import com.google.inject.Module;
import io.runnel.kernel.boot.Runnel;
import io.runnel.kernel.config.ConfigLoader;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.grpc.GrpcServer;
import io.runnel.kernel.spool.Spool;
import io.runnel.kernel.spool.SpoolId;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** A real kernel in a temp folder, listeners on free loopback ports, for tests over real sockets. */
public final class TestDaemon implements AutoCloseable {

    private final Runnel runnel;

    private TestDaemon(Runnel runnel) {
        this.runnel = runnel;
    }

    /**
     * Starts a kernel whose {@code conf/runnel.toml} is {@code toml}. Without a {@code [[listener]]} section the
     * default loopback listener is used, moved to a free port, and so is the gRPC server; {@code [spool] sync} defaults to "none" for speed unless
     * the text sets it. Without a {@code [dns]} section the resolver is pointed at a dead loopback port, so a test
     * never queries the machine's resolver.
     */
    public static TestDaemon start(Path home, String toml) throws Exception {
        return start(home, toml, List.of());
    }

    /** As {@link #start(Path, String)}, with extra Guice modules (e.g. binding a ConfigReloader). */
    public static TestDaemon start(Path home, String toml, List<Module> extra) throws Exception {
        return start(home, toml, Clock.systemUTC(), extra);
    }

    /** As {@link #start(Path, String, List)}, on {@code clock} (a {@link MutableClock} moves queue time by hand). */
    public static TestDaemon start(Path home, String toml, Clock clock, List<Module> extra) throws Exception {
        String text = toml;
        if (!text.contains("[[listener]]")) {
            text += "\n[[listener]]\nbind = \"127.0.0.1:0\"\n";
        }
        if (!text.contains("[spool]")) {
            text += "\n[spool]\nsync = \"none\"\nmap_size = \"256MiB\"\n";
        }
        if (!text.contains("[grpc]")) {
            text += "\n[grpc]\nlisten = \"127.0.0.1:0\"\n";
        }
        if (!text.contains("[dns]")) {
            text += "\n[dns]\nname_servers = [\"127.0.0.1:9\"]\ntimeout = \"1s\"\n";
        }
        Path conf = home.resolve("conf");
        Files.createDirectories(conf);
        Path file = conf.resolve("runnel.toml");
        Files.writeString(file, text);
        RunnelConfig config = new ConfigLoader(home).load(file);
        return new TestDaemon(Runnel.start(config, clock, extra));
    }

    public int port() {
        return port(0);
    }

    public int port(int listener) {
        return runnel.listenerAddresses().get(listener).getPort();
    }

    public InetSocketAddress address() {
        return runnel.listenerAddresses().get(0);
    }

    /** Where the control plane listens. */
    public InetSocketAddress grpcAddress() {
        return runnel.get(GrpcServer.class).address().orElseThrow(() -> new AssertionError("gRPC is disabled"));
    }

    /** The kernel's object of {@code type}. */
    public <T> T get(Class<T> type) {
        return runnel.get(type);
    }

    public Spool spool() {
        return runnel.get(Spool.class);
    }

    /** Every spooled message's id, in arrival order. */
    public List<SpoolId> spooledIds() throws Exception {
        List<SpoolId> ids = new ArrayList<>();
        spool().forEach(meta -> ids.add(meta.id()), corrupt -> {
            throw new AssertionError("corrupt spool entry " + corrupt);
        });
        return ids;
    }

    /** The stored body of the only spooled message. */
    public byte[] onlyBody() throws Exception {
        List<SpoolId> ids = spooledIds();
        if (ids.size() != 1) {
            throw new AssertionError("expected exactly one spooled message, found " + ids.size());
        }
        return spool().loadBody(ids.get(0)).orElseThrow();
    }

    @Override
    public void close() {
        runnel.close();
    }
}
