package io.runnel.kernel.dns;

import static io.runnel.kernel.dns.DnsResolverTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.dns.DnsResolver;
import io.runnel.kernel.TestDaemon;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsWiringTest {

    @TempDir
    Path home;

    @Test
    void theDaemonResolvesThroughTheConfiguredNameServerAndAppliesItsRoutes() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.mx("example.com", 10, "mx.example.com");
            String toml = """
                    [dns]
                    name_servers = ["127.0.0.1:%d"]
                    timeout = "1s"

                    [[route]]
                    domain = "sink.test"
                    hosts = ["127.0.0.1:2526"]
                    """.formatted(dns.address().getPort());
            try (TestDaemon daemon = TestDaemon.start(home, toml)) {
                Destinations destinations = daemon.get(Destinations.class);

                assertThat(daemon.get(DnsResolver.class)).isSameAs(daemon.get(NettyDnsResolver.class));
                assertThat(await(destinations.plan("example.com"))).isEqualTo(
                        new DeliveryPlan("mx.example.com", List.of(new HostCandidate("mx.example.com", 25))));
                assertThat(await(destinations.plan("sink.test"))).isEqualTo(
                        new DeliveryPlan("route:127.0.0.1:2526", List.of(new HostCandidate("127.0.0.1", 2526))));
            }
        }
    }
}
