package io.runnel.kernel.boot;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.smtp.server.SmtpServer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A running daemon: one injector, its services started in order. */
public final class Runnel implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Injector injector;
    private final ServiceManager services;

    private Runnel(Injector injector) {
        this.injector = injector;
        this.services = injector.getInstance(ServiceManager.class);
    }

    /** Builds the kernel for {@code config} and starts every service; throws if any cannot start. */
    public static Runnel start(RunnelConfig config, Clock clock) throws Exception {
        return start(config, clock, List.of());
    }

    /** As {@link #start(RunnelConfig, Clock)}, with {@code extra} modules binding optional parts (e.g. a ConfigReloader). */
    public static Runnel start(RunnelConfig config, Clock clock, List<Module> extra) throws Exception {
        List<Module> modules = new ArrayList<>(List.of(new KernelModule(config, clock)));
        modules.addAll(extra);
        Runnel runnel = new Runnel(Guice.createInjector(Stage.PRODUCTION, modules));
        runnel.services.start();
        return runnel;
    }

    /** Where the listeners are bound, in config order. */
    public List<InetSocketAddress> listenerAddresses() {
        return injector.getInstance(SmtpServer.class).boundAddresses();
    }

    /** The kernel's objects, for tests and embedding. */
    public <T> T get(Class<T> type) {
        return injector.getInstance(type);
    }

    @Override
    public void close() {
        services.stop(STOP_GRACE);
    }
}
