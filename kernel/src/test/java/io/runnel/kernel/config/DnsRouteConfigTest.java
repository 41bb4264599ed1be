package io.runnel.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.runnel.kernel.config.RouteConfig.Host;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsRouteConfigTest {

    @TempDir
    Path home;

    private RunnelConfig load(String toml) throws Exception {
        return ConfigFiles.load(home, toml);
    }

    private ConfigException failure(String toml) {
        ConfigException e = ConfigFiles.failure(home, toml);
        assertThat(e.getMessage()).startsWith(home.resolve("conf/runnel.toml") + ":");
        return e;
    }

    @Test
    void withoutADnsSectionTheSystemNameServersAndDefaultTtlsAreUsed() throws Exception {
        RunnelConfig config = load("");

        assertThat(config.dns()).isEqualTo(DnsConfig.defaults());
        assertThat(config.dns().nameServers()).isEmpty();
        assertThat(config.dns().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.routes()).isEmpty();
    }

    @Test
    void readsEveryDnsKey() throws Exception {
        DnsConfig dns = load("""
                [dns]
                name_servers = ["127.0.0.1:5353", "192.0.2.53", "[::1]:5300"]
                timeout = "300ms"
                min_ttl = "10s"
                max_ttl = "1h"
                negative_ttl = "1m"
                """).dns();

        assertThat(dns.nameServers()).containsExactly(new InetSocketAddress("127.0.0.1", 5353),
                new InetSocketAddress("192.0.2.53", 53), new InetSocketAddress("::1", 5300));
        assertThat(dns).isEqualTo(new DnsConfig(dns.nameServers(), Duration.ofMillis(300), Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMinutes(1)));
    }

    @Test
    void aNameServerMustBeAnAddressNotAName() {
        ConfigException e = failure("""
                [dns]
                name_servers = ["dns.example.net"]
                """);

        assertThat(e.key()).isEqualTo("dns.name_servers");
        assertThat(e.line()).contains(2);
    }

    @Test
    void badDnsValuesNameTheirKeyAndLine() {
        assertThat(failure("[dns]\ntimeout = \"soon\"\n")).satisfies(e -> {
            assertThat(e.key()).isEqualTo("dns.timeout");
            assertThat(e.line()).contains(2);
        });
        assertThat(failure("[dns]\ntimeout = \"0s\"\n").key()).isEqualTo("dns.timeout");
        assertThat(failure("[dns]\nmin_ttl = \"2h\"\nmax_ttl = \"1h\"\n").key()).isEqualTo("dns.min_ttl");
        assertThat(failure("[dns]\nname_servers = [\"127.0.0.1:99999\"]\n").key()).isEqualTo("dns.name_servers");
        assertThat(failure("[dns]\n\nresolver = \"127.0.0.1\"\n")).satisfies(e -> {
            assertThat(e.key()).isEqualTo("dns.resolver");
            assertThat(e.reason()).isEqualTo("unknown key");
            assertThat(e.line()).contains(3);
        });
    }

    @Test
    void readsExactSuffixAndWildcardRoutesWithTheirPorts() throws Exception {
        List<RouteConfig> routes = load("""
                [[route]]
                domain = "Example.COM."
                hosts = ["127.0.0.1:2526", "Relay.Example.NET"]

                [[route]]
                domain = ".internal.example"
                hosts = ["[::1]:2525", "::1", "relay.internal.example"]
                port = 587

                [[route]]
                domain = "*"
                hosts = ["smarthost.example.net"]
                """).routes();

        assertThat(routes).containsExactly(
                new RouteConfig("example.com", List.of(new Host("127.0.0.1", 2526), new Host("relay.example.net", 25))),
                new RouteConfig(".internal.example", List.of(new Host("::1", 2525), new Host("::1", 587), new Host("relay.internal.example", 587))),
                new RouteConfig("*", List.of(new Host("smarthost.example.net", 25))));
        assertThat(routes.get(1).isSuffix()).isTrue();
        assertThat(routes.get(2).isWildcard()).isTrue();
    }

    @Test
    void badRoutesNameTheirEntryKeyAndLine() {
        ConfigException noHosts = failure("""
                [[route]]
                domain = "example.com"
                """);
        assertThat(noHosts.key()).isEqualTo("route[0].hosts");

        ConfigException badHost = failure("""
                [[route]]
                domain = "example.com"
                hosts = ["relay.example.net:25"]

                [[route]]
                domain = "example.org"
                hosts = ["bad host!"]
                """);
        assertThat(badHost.key()).isEqualTo("route[1].hosts");
        assertThat(badHost.line()).contains(7);

        assertThat(failure("[[route]]\nhosts = [\"a.example\"]\n").key()).isEqualTo("route[0].domain");
        assertThat(failure("[[route]]\ndomain = \"*.example.com\"\nhosts = [\"a.example\"]\n").key()).isEqualTo("route[0].domain");
        assertThat(failure("[[route]]\ndomain = \"a.example\"\nhosts = [\"[::1\"]\n").key()).isEqualTo("route[0].hosts");
        assertThat(failure("[[route]]\ndomain = \"a.example\"\nhosts = [\"h.example\"]\nport = 0\n").key()).isEqualTo("route[0].port");
        assertThat(failure("[[route]]\ndomain = \"a.example\"\nhosts = [\"h.example\"]\nhost = \"x\"\n")).satisfies(e -> {
            assertThat(e.key()).isEqualTo("route[0].host");
            assertThat(e.reason()).isEqualTo("unknown key");
            assertThat(e.line()).contains(4);
        });
    }

    @Test
    void twoRoutesForTheSameDomainAreRejected() {
        ConfigException e = failure("""
                [[route]]
                domain = "example.com"
                hosts = ["a.example.net"]

                [[route]]
                domain = "EXAMPLE.com"
                hosts = ["b.example.net"]
                """);

        assertThat(e.key()).isEqualTo("route[1].domain");
        assertThat(e.line()).contains(6);
        assertThat(e.reason()).contains("example.com");
    }

    @Test
    void routeValuesAreValidatedInTheRecordToo() {
        assertThat(catchThrowable(() -> new RouteConfig("example.com", List.of()))).isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> new RouteConfig("Example.com", List.of(new Host("a", 25))))).isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> new Host("a", 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Host("::1", 25)).hasToString("[::1]:25");
        assertThat(new Host("relay", 26)).hasToString("relay:26");
    }
}
