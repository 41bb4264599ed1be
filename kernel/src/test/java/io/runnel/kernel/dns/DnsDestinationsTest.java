package io.runnel.kernel.dns;

import static io.runnel.kernel.dns.DnsResolverTest.await;
import static io.runnel.kernel.dns.DnsResolverTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.dns.DnsLookupException;
import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.config.RouteConfig;
import io.runnel.kernel.config.RouteConfig.Host;
import io.runnel.kernel.metrics.DnsMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsDestinationsTest {

    private final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");
    private TestDnsServer dns;
    private NettyDnsResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        resolver = new NettyDnsResolver(dns.config(Duration.ofMillis(300)), clock, new Random(7), DnsMetrics.unobserved());
        resolver.start();
    }

    @AfterEach
    void stop() {
        resolver.stop(Duration.ofSeconds(1));
        dns.close();
    }

    private Destinations destinations(RouteConfig... routes) {
        return new Destinations(resolver, new Routes(List.of(routes)), 25);
    }

    private DeliveryPlan plan(Destinations d, String domain) throws Exception {
        PlanResult result = await(d.plan(domain));
        assertThat(result).isInstanceOf(DeliveryPlan.class);
        return (DeliveryPlan) result;
    }

    private PlanFailure planFailure(String domain) throws Exception {
        PlanResult result = await(destinations().plan(domain));
        assertThat(result).isInstanceOf(PlanFailure.class);
        return (PlanFailure) result;
    }

    private static RouteConfig route(String domain, Host... hosts) {
        return new RouteConfig(domain, List.of(hosts));
    }

    @Test
    void mxHostsAreTriedInPreferenceOrderAndTheirSortedSetIsTheSite() throws Exception {
        dns.mx("example.com", 20, "a.mx.example.net").mx("example.com", 10, "b.mx.example.net");

        DeliveryPlan plan = plan(destinations(), "Example.COM");

        assertThat(plan.hosts()).containsExactly(new HostCandidate("b.mx.example.net", 25), new HostCandidate("a.mx.example.net", 25));
        assertThat(plan.site()).isEqualTo("a.mx.example.net,b.mx.example.net");
    }

    @Test
    void domainsWithTheSameMxSetShareOneSiteWhateverTheOrder() throws Exception {
        dns.mx("one.example", 10, "mx1.provider.net").mx("one.example", 20, "mx2.provider.net");
        dns.mx("two.example", 10, "mx2.provider.net").mx("two.example", 20, "mx1.provider.net");
        dns.mx("three.example", 10, "mx1.provider.net");

        Destinations d = destinations();

        assertThat(plan(d, "one.example").site()).isEqualTo(plan(d, "two.example").site()).isEqualTo("mx1.provider.net,mx2.provider.net");
        assertThat(plan(d, "three.example").site()).isNotEqualTo(plan(d, "one.example").site());
    }

    @Test
    void aDomainWithoutMxIsItsOwnMailHost() throws Exception {
        dns.a("nomx.example", "127.0.0.2");

        DeliveryPlan plan = plan(destinations(), "nomx.example");

        assertThat(plan.site()).isEqualTo("nomx.example");
        assertThat(plan.hosts()).containsExactly(new HostCandidate("nomx.example", 25));
    }

    @Test
    void aNullMxIsAPermanentFailureWithRfc7505Status() throws Exception {
        dns.nullMx("nomail.example");

        PlanFailure failure = planFailure("nomail.example");

        assertThat(failure.isPermanent()).isTrue();
        assertThat(failure.reply().code()).isEqualTo(556);
        assertThat(failure.reply().enhancedStatus()).contains(EnhancedStatus.parse("5.1.10"));
        assertThat(failure.reply().lines().get(0)).contains("nomail.example");
    }

    @Test
    void aDomainThatDoesNotExistIsAPermanentFailure() throws Exception {
        PlanFailure failure = planFailure("gone.example");

        assertThat(failure.isPermanent()).isTrue();
        assertThat(failure.reply().code()).isEqualTo(550);
        assertThat(failure.reply().enhancedStatus()).contains(EnhancedStatus.parse("5.1.2"));
    }

    @Test
    void servfailAndTimeoutsAreTransientFailures() throws Exception {
        dns.servfail("broken.example").noAnswer("slow.example");

        for (String domain : List.of("broken.example", "slow.example")) {
            PlanFailure failure = planFailure(domain);
            assertThat(failure.isPermanent()).as(domain).isFalse();
            assertThat(failure.reply().code()).isEqualTo(451);
            assertThat(failure.reply().enhancedStatus()).contains(EnhancedStatus.parse("4.4.3"));
            assertThat(failure.domain()).isEqualTo(domain);
        }
    }

    @Test
    void aRouteSendsMailToItsHostsInOrderWithoutAnyMxLookup() throws Exception {
        dns.mx("example.com", 10, "mx.example.com");
        Destinations d = destinations(route("example.com", new Host("127.0.0.1", 2526), new Host("relay.example.net", 25)));

        DeliveryPlan plan = plan(d, "example.com");

        assertThat(plan.hosts()).containsExactly(new HostCandidate("127.0.0.1", 2526), new HostCandidate("relay.example.net", 25));
        assertThat(plan.site()).isEqualTo("route:127.0.0.1:2526,relay.example.net:25");
        assertThat(dns.queries("example.com")).isZero();
    }

    @Test
    void anExactRouteBeatsTheLongestSuffixWhichBeatsAShorterOneAndTheWildcard() throws Exception {
        Destinations d = destinations(
                route("*", new Host("smarthost.example.net", 25)),
                route(".example.com", new Host("10.0.0.1", 25)),
                route(".eu.example.com", new Host("10.0.0.2", 25)),
                route("exact.eu.example.com", new Host("10.0.0.3", 25)));

        assertThat(plan(d, "exact.eu.example.com").hosts()).containsExactly(new HostCandidate("10.0.0.3", 25));
        assertThat(plan(d, "a.eu.example.com").hosts()).containsExactly(new HostCandidate("10.0.0.2", 25));
        assertThat(plan(d, "a.b.example.com").hosts()).containsExactly(new HostCandidate("10.0.0.1", 25));
        assertThat(plan(d, "other.org").hosts()).containsExactly(new HostCandidate("smarthost.example.net", 25));
    }

    @Test
    void aSuffixRouteMatchesSubDomainsOnly() throws Exception {
        dns.mx("example.com", 10, "mx.example.com").mx("notexample.com", 10, "mx.notexample.com");
        Destinations d = destinations(route(".example.com", new Host("10.0.0.1", 25)));

        assertThat(plan(d, "sub.example.com").site()).isEqualTo("route:10.0.0.1:25");
        assertThat(plan(d, "example.com").site()).isEqualTo("mx.example.com");
        assertThat(plan(d, "notexample.com").site()).isEqualTo("mx.notexample.com");
    }

    @Test
    void anIpv6RouteHostIsReachedWithoutDns() throws Exception {
        Destinations d = destinations(route("*", new Host("::1", 2525)));

        DeliveryPlan plan = plan(d, "example.com");
        List<InetSocketAddress> addresses = await(d.addresses(plan.hosts().get(0)));

        assertThat(plan.site()).isEqualTo("route:[::1]:2525");
        assertThat(addresses).containsExactly(new InetSocketAddress("::1", 2525));
    }

    @Test
    void hostAddressesAreLookedUpPerAttemptWithTheCandidatesPort() throws Exception {
        dns.a("mx.example.com", "127.0.0.2").aaaa("mx.example.com", "::1");
        Destinations d = destinations();

        List<InetSocketAddress> addresses = await(d.addresses(new HostCandidate("mx.example.com", 2526)));

        assertThat(addresses).extracting(InetSocketAddress::getPort).containsOnly(2526);
        assertThat(addresses).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.2", "0:0:0:0:0:0:0:1");
    }

    @Test
    void aHostThatDoesNotExistFailsWithAReplyForTheBounce() {
        DnsLookupException e = failure(destinations().addresses(new HostCandidate("gone.example", 25)));

        assertThat(DnsReplies.replyFor(e).code()).isEqualTo(550);
        assertThat(DnsReplies.replyFor(e).lines().get(0)).contains("gone.example");
    }

    @Test
    void anAddressLiteralDomainIsDeliveredToThatAddress() throws Exception {
        DeliveryPlan plan = plan(destinations(), "[127.0.0.5]");

        assertThat(plan.hosts()).containsExactly(new HostCandidate("127.0.0.5", 25));
        assertThat(plan(destinations(), "[IPv6:::1]").hosts()).containsExactly(new HostCandidate("::1", 25));
    }
}
