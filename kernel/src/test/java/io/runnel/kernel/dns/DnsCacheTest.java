package io.runnel.kernel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.api.dns.DnsLookupException;
import io.runnel.api.dns.DnsLookupException.Kind;
import io.runnel.kernel.MutableClock;
import io.runnel.kernel.config.DnsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DnsCacheTest {

    private final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");
    private final DnsConfig config = new DnsConfig(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofDays(1), Duration.ofMinutes(5));

    @Test
    void concurrentLookupsOfOneNameShareOneQuery() {
        DnsCache<String> cache = new DnsCache<>(clock, config, 10);
        CompletableFuture<QueryOutcome<String>> pending = new CompletableFuture<>();
        AtomicInteger queries = new AtomicInteger();

        CompletionStage<String> first = cache.get("example.com", n -> { queries.incrementAndGet(); return pending; });
        CompletionStage<String> second = cache.get("example.com", n -> { queries.incrementAndGet(); return pending; });
        pending.complete(new QueryOutcome.Answer<>("answer", Duration.ofMinutes(1)));

        assertThat(queries).hasValue(1);
        assertThat(first.toCompletableFuture().join()).isEqualTo("answer");
        assertThat(second.toCompletableFuture().join()).isEqualTo("answer");
    }

    @Test
    void aFailedQueryIsNotRememberedAndTheNextCallerAsksAgain() {
        DnsCache<String> cache = new DnsCache<>(clock, config, 10);
        AtomicInteger queries = new AtomicInteger();
        DnsLookupException servfail = new DnsLookupException(Kind.SERVER_FAILURE, "example.com", "SERVFAIL", null);

        CompletionStage<String> failed = cache.get("example.com", n -> {
            queries.incrementAndGet();
            return CompletableFuture.failedFuture(servfail);
        });
        CompletionStage<String> next = cache.get("example.com", n -> {
            queries.incrementAndGet();
            return CompletableFuture.completedFuture(new QueryOutcome.Answer<>("ok", Duration.ofMinutes(1)));
        });

        assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
        assertThat(next.toCompletableFuture().join()).isEqualTo("ok");
        assertThat(queries).hasValue(2);
    }

    @Test
    void aQueryThatThrowsFailsItsCallerInsteadOfHangingTheName() {
        DnsCache<String> cache = new DnsCache<>(clock, config, 10);

        CompletionStage<String> thrown = cache.get("example.com", n -> {
            throw new IllegalStateException("not started");
        });
        CompletionStage<String> next = cache.get("example.com",
                n -> CompletableFuture.completedFuture(new QueryOutcome.NoData<>("", Optional.empty())));

        assertThat(thrown.toCompletableFuture()).isCompletedExceptionally();
        assertThat(next.toCompletableFuture().join()).isEmpty();
    }

    @Test
    void theCacheNeverHoldsMoreThanItsLimit() {
        DnsCache<String> cache = new DnsCache<>(clock, config, 3);

        for (int i = 0; i < 10; i++) {
            cache.get("host" + i + ".example", n -> CompletableFuture.completedFuture(new QueryOutcome.Answer<>(n, Duration.ofHours(1))));
        }

        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void callersCannotCompleteTheSharedAnswerForOthers() {
        DnsCache<String> cache = new DnsCache<>(clock, config, 10);
        CompletableFuture<QueryOutcome<String>> pending = new CompletableFuture<>();

        cache.get("example.com", n -> pending).toCompletableFuture().complete("forged");
        CompletionStage<String> other = cache.get("example.com", n -> pending);
        pending.complete(new QueryOutcome.Answer<>("real", Duration.ofMinutes(1)));

        assertThat(other.toCompletableFuture().join()).isEqualTo("real");
    }
}
