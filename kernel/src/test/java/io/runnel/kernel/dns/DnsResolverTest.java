package io.runnel.kernel.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.handler.codec.dns.DnsRecordType;
import io.runnel.api.dns.DnsLookupException;
import io.runnel.api.dns.DnsLookupException.Kind;
import io.runnel.api.dns.MxAnswer;
import io.runnel.api.dns.MxAnswer.MxRecord;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.config.DnsConfig;
import io.runnel.kernel.metrics.DnsMetrics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DnsResolverTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");
    private TestDnsServer dns;
    private NettyDnsResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        resolver = resolver(dns.config(TIMEOUT));
    }

    @AfterEach
    void stop() {
        resolver.stop(Duration.ofSeconds(1));
        dns.close();
    }

    private NettyDnsResolver resolver(DnsConfig config) {
        NettyDnsResolver r = new NettyDnsResolver(config, clock, new Random(42), DnsMetrics.unobserved());
        r.start();
        return r;
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static DnsLookupException failure(CompletionStage<?> stage) {
        Throwable thrown = catchThrowable(() -> await(stage));
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DnsLookupException.class);
        return (DnsLookupException) thrown.getCause();
    }

    @Test
    void mxRecordsComeSortedByPreferenceInLowerCaseWithoutTheTrailingDot() throws Exception {
        dns.mx("example.com", 20, "MX2.Example.COM.").mx("example.com", 10, "mx1.example.com");

        MxAnswer answer = await(resolver.mx("Example.com."));

        assertThat(answer.nullMx()).isFalse();
        assertThat(answer.records()).containsExactly(new MxRecord(10, "mx1.example.com"), new MxRecord(20, "mx2.example.com"));
    }

    @Test
    void equalPreferencesAreShuffledButNeverJumpAheadOfBetterOnes() throws Exception {
        dns.mx("example.com", 5, "first.example.com");
        for (int i = 0; i < 4; i++) {
            dns.mx("example.com", 10, "mx" + i + ".example.com");
        }
        dns.mx("example.com", 20, "last.example.com");

        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            List<String> hosts = await(resolver.mx("example.com")).records().stream().map(MxRecord::host).toList();
            assertThat(hosts).hasSize(6).startsWith("first.example.com").endsWith("last.example.com");
            orders.add(hosts);
        }

        assertThat(orders).hasSizeGreaterThan(1);
        assertThat(dns.queries("example.com", DnsRecordType.MX)).isEqualTo(1);
    }

    @Test
    void aDomainWithoutMxRecordsAnswersAnEmptyList() throws Exception {
        dns.a("example.com", "127.0.0.2");

        MxAnswer answer = await(resolver.mx("example.com"));

        assertThat(answer.records()).isEmpty();
        assertThat(answer.nullMx()).isFalse();
    }

    @Test
    void aNullMxIsRecognised() throws Exception {
        dns.nullMx("example.com");

        assertThat(await(resolver.mx("example.com"))).isEqualTo(new MxAnswer(List.of(), true));
    }

    @Test
    void aRootMxBesideRealHostsIsIgnoredRatherThanTakenForANullMx() throws Exception {
        dns.nullMx("example.com").mx("example.com", 10, "mx.example.com");

        assertThat(await(resolver.mx("example.com"))).isEqualTo(new MxAnswer(List.of(new MxRecord(10, "mx.example.com")), false));
    }

    @Test
    void addressesComeFromAAndAaaaRecordsIpv4First() throws Exception {
        dns.aaaa("mx.example.com", "::1").a("mx.example.com", "127.0.0.2").a("mx.example.com", "127.0.0.3");

        List<InetAddress> addresses = await(resolver.addresses("mx.example.com"));

        assertThat(addresses).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.2", "127.0.0.3", "0:0:0:0:0:0:0:1");
        assertThat(addresses.get(0).getHostName()).isEqualTo("mx.example.com");
    }

    @Test
    void aHostWithOnlyIpv6StillResolves() throws Exception {
        dns.aaaa("v6.example.com", "::1");

        assertThat(await(resolver.addresses("v6.example.com"))).extracting(InetAddress::getHostAddress).containsExactly("0:0:0:0:0:0:0:1");
    }

    @Test
    void ipLiteralsNeedNoQuery() throws Exception {
        assertThat(await(resolver.addresses("127.0.0.9"))).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.9");
        assertThat(await(resolver.addresses("::1"))).extracting(InetAddress::getHostAddress).containsExactly("0:0:0:0:0:0:0:1");
        assertThat(dns.queries("127.0.0.9")).isZero();
    }

    @Test
    void txtRecordsJoinTheirCharacterStrings() throws Exception {
        dns.txt("example.com", "v=spf1 ", "-all").txt("example.com", "other");

        assertThat(await(resolver.txt("example.com"))).containsExactlyInAnyOrder("v=spf1 -all", "other");
    }

    @Test
    void nxdomainIsAPermanentFailure() {
        dns.nxdomain("gone.example");

        DnsLookupException e = failure(resolver.mx("gone.example"));

        assertThat(e.kind()).isEqualTo(Kind.NXDOMAIN);
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.name()).isEqualTo("gone.example");
        assertThat(failure(resolver.addresses("gone.example")).kind()).isEqualTo(Kind.NXDOMAIN);
    }

    @Test
    void servfailIsATransientFailureAndIsNotCached() {
        dns.servfail("broken.example");

        DnsLookupException e = failure(resolver.mx("broken.example"));
        failure(resolver.mx("broken.example"));

        assertThat(e.kind()).isEqualTo(Kind.SERVER_FAILURE);
        assertThat(e.isPermanent()).isFalse();
        assertThat(dns.queries("broken.example", DnsRecordType.MX)).isEqualTo(2);
    }

    @Test
    void aTruncatedAnswerWhoseTcpRetryFailsIsATransientFailureNotAnEmptyAnswer() throws Exception {
        dns.mx("big.example", 10, "mx.big.example").fault("big.example", TestDnsServer.Fault.TRUNCATED);

        DnsLookupException e = failure(resolver.mx("big.example"));
        assertThat(e.kind()).isEqualTo(Kind.SERVER_FAILURE);
        assertThat(e.getMessage()).contains("truncated");

        dns.heal("big.example"); // nothing was cached: the next lookup asks again
        assertThat(await(resolver.mx("big.example")).records()).extracting(MxRecord::host).containsExactly("mx.big.example");
    }

    @Test
    void aDroppedQueryTimesOutAsATransientFailure() {
        dns.noAnswer("slow.example");

        DnsLookupException e = failure(resolver.mx("slow.example"));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.isPermanent()).isFalse();
    }

    @Test
    void aFailureOfOneAddressFamilyDoesNotHideTheOther() throws Exception {
        dns.a("half.example", "127.0.0.2").servfail("half.example", DnsRecordType.AAAA);
        dns.aaaa("other.example", "::1").servfail("other.example", DnsRecordType.A);

        assertThat(await(resolver.addresses("half.example"))).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.2");
        assertThat(await(resolver.addresses("other.example"))).extracting(InetAddress::getHostAddress).containsExactly("0:0:0:0:0:0:0:1");
    }

    @Test
    void noAddressAndAFailedFamilyIsTransientNotEmpty() {
        dns.mx("mx.example", 10, "elsewhere.example").servfail("mx.example", DnsRecordType.A);

        assertThat(failure(resolver.addresses("mx.example")).kind()).isEqualTo(Kind.SERVER_FAILURE);
    }

    @Test
    void theNextNameServerIsAskedWhenTheFirstTimesOut() throws Exception {
        try (TestDnsServer second = TestDnsServer.start()) {
            dns.noAnswer("example.com");
            second.mx("example.com", 10, "mx.example.com");
            DnsConfig d = DnsConfig.defaults();
            NettyDnsResolver both = resolver(new DnsConfig(List.of(dns.address(), second.address()), TIMEOUT, d.minTtl(), d.maxTtl(), d.negativeTtl()));
            try {
                assertThat(await(both.mx("example.com")).records()).containsExactly(new MxRecord(10, "mx.example.com"));
                assertThat(dns.queries("example.com")).isEqualTo(1);
            } finally {
                both.stop(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void answersAreCachedForTheirTtlAndAskedForAgainAfterIt() throws Exception {
        dns.mx("example.com", 10, "mx.example.com", 60).a("mx.example.com", "127.0.0.2", 120);

        await(resolver.mx("example.com"));
        await(resolver.addresses("mx.example.com"));
        clock.advance(Duration.ofSeconds(59));
        await(resolver.mx("example.com"));
        await(resolver.addresses("mx.example.com"));
        assertThat(dns.queries("example.com", DnsRecordType.MX)).isEqualTo(1);
        assertThat(dns.queries("mx.example.com", DnsRecordType.A)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        await(resolver.mx("example.com"));
        await(resolver.addresses("mx.example.com"));
        assertThat(dns.queries("example.com", DnsRecordType.MX)).isEqualTo(2);
        assertThat(dns.queries("mx.example.com", DnsRecordType.A)).isEqualTo(1);
    }

    @Test
    void aFreshAnswerReplacesAnExpiredOne() throws Exception {
        dns.mx("example.com", 10, "old.example.com", 60);
        await(resolver.mx("example.com"));
        dns.clear("example.com").mx("example.com", 10, "new.example.com", 60);

        assertThat(await(resolver.mx("example.com")).records()).extracting(MxRecord::host).containsExactly("old.example.com");
        clock.advance(Duration.ofSeconds(61));
        assertThat(await(resolver.mx("example.com")).records()).extracting(MxRecord::host).containsExactly("new.example.com");
    }

    @Test
    void ttlsAreClampedToMinTtlAndMaxTtl() throws Exception {
        NettyDnsResolver clamped = resolver(new DnsConfig(List.of(dns.address()), TIMEOUT, Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMinutes(5)));
        try {
            dns.mx("short.example", 10, "mx.example.com", 5).mx("long.example", 10, "mx.example.com", 86_400);
            await(clamped.mx("short.example"));
            await(clamped.mx("long.example"));

            clock.advance(Duration.ofSeconds(29));
            await(clamped.mx("short.example"));
            assertThat(dns.queries("short.example")).isEqualTo(1);
            clock.advance(Duration.ofSeconds(2));
            await(clamped.mx("short.example"));
            assertThat(dns.queries("short.example")).isEqualTo(2);

            clock.advance(Duration.ofHours(1));
            await(clamped.mx("long.example"));
            assertThat(dns.queries("long.example")).isEqualTo(2);
        } finally {
            clamped.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void nxdomainAndEmptyAnswersAreCachedForTheNegativeTtl() throws Exception {
        dns.nxdomain("gone.example").a("nomx.example", "127.0.0.2");

        failure(resolver.mx("gone.example"));
        await(resolver.mx("nomx.example"));
        clock.advance(Duration.ofMinutes(4));
        assertThat(failure(resolver.mx("gone.example")).kind()).isEqualTo(Kind.NXDOMAIN);
        assertThat(await(resolver.mx("nomx.example")).records()).isEmpty();
        assertThat(dns.queries("gone.example")).isEqualTo(1);
        assertThat(dns.queries("nomx.example")).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        failure(resolver.mx("gone.example"));
        await(resolver.mx("nomx.example"));
        assertThat(dns.queries("gone.example")).isEqualTo(2);
        assertThat(dns.queries("nomx.example")).isEqualTo(2);
    }

    @Test
    void theSoaMinimumSetsTheNegativeTtlWhenPresent() throws Exception {
        dns.soa("example.org", 3600, 60).nxdomain("gone.example.org");

        failure(resolver.mx("gone.example.org"));
        clock.advance(Duration.ofSeconds(59));
        failure(resolver.mx("gone.example.org"));
        assertThat(dns.queries("gone.example.org")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        failure(resolver.mx("gone.example.org"));
        assertThat(dns.queries("gone.example.org")).isEqualTo(2);
    }

    @Test
    void lookupsFailUntilTheResolverIsStarted() {
        NettyDnsResolver stopped = new NettyDnsResolver(dns.config(TIMEOUT), clock, new Random(1), DnsMetrics.unobserved());

        Throwable thrown = catchThrowable(() -> await(stopped.mx("example.com")));

        assertThat(thrown).hasCauseInstanceOf(IllegalStateException.class);
    }
}
