package io.runnel.kernel.boot;

import com.google.inject.AbstractModule;
import io.runnel.kernel.auth.AuthModule;
import io.runnel.kernel.config.ConfigFile;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.reload.ReloadModule;
import io.runnel.kernel.delivery.DeliveryModule;
import io.runnel.kernel.dns.DnsModule;
import io.runnel.kernel.grpc.GrpcModule;
import io.runnel.kernel.ingest.IngestModule;
import io.runnel.kernel.log.LogModule;
import io.runnel.kernel.metrics.MetricsModule;
import io.runnel.kernel.plugin.PluginModule;
import io.runnel.kernel.queue.QueueModule;
import io.runnel.kernel.shaping.automation.AutomationModule;
import io.runnel.kernel.shaping.store.ShapingStoreModule;
import io.runnel.kernel.smtp.server.SmtpServerModule;
import io.runnel.kernel.spool.SpoolModule;
import java.time.Clock;

/** The whole kernel: installs one module per subsystem and nothing else. */
public final class KernelModule extends AbstractModule {

    private final RunnelConfig config;
    private final ConfigFile file;
    private final Clock clock;

    /** @param file the configuration file {@code config} was read from; reloads read it again */
    public KernelModule(RunnelConfig config, ConfigFile file, Clock clock) {
        this.config = config;
        this.file = file;
        this.clock = clock;
    }

    @Override
    protected void configure() {
        install(new CoreModule(config, file, clock));
        install(new ReloadModule());
        install(new LogModule());
        install(new MetricsModule());
        install(new SpoolModule());
        install(new QueueModule());
        install(new AutomationModule());
        install(new DnsModule());
        install(new PluginModule());
        install(new AuthModule());
        install(new IngestModule());
        install(new ShapingStoreModule());
        install(new DeliveryModule());
        install(new SmtpServerModule());
        install(new GrpcModule());
    }
}
