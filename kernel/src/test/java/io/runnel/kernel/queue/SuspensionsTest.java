package io.runnel.kernel.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuspensionsTest {

    @TempDir
    Path data;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");

    private Suspensions open() throws Exception {
        Suspensions s = new Suspensions(clock, data, RandomGenerator.of("L64X128MixRandom"));
        s.start();
        return s;
    }

    private static QueueSelector tenant(String name) {
        return new QueueSelector(name, "", "", "", "");
    }

    @Test
    void aSuspensionHoldsMatchingQueuesUntilItExpires() throws Exception {
        Suspensions s = open();
        s.suspend(tenant("acme"), "spike", Optional.of(Duration.ofMinutes(10)));

        assertThat(s.holding(QueueName.parse("spring:acme@example.com"))).isPresent();
        assertThat(s.holding(QueueName.parse("other@example.com"))).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(s.holding(QueueName.parse("spring:acme@example.com"))).isEmpty();
        assertThat(s.active(AdminRule.Kind.SUSPEND)).isEmpty();
    }

    @Test
    void theActiveRulesStayOneAnswerUntilARuleChangesOrExpires() throws Exception {
        Suspensions s = open();
        ActiveRules none = s.activeRules(clock.instant());
        assertThat(s.activeRules(clock.instant())).isSameAs(none);

        s.suspend(tenant("acme"), "spike", Optional.of(Duration.ofMinutes(10)));
        ActiveRules one = s.activeRules(clock.instant());
        assertThat(one).isNotSameAs(none);
        assertThat(one.holds(QueueName.parse("acme@example.com"))).isTrue();
        clock.advance(Duration.ofMinutes(9));
        assertThat(s.activeRules(clock.instant())).isSameAs(one);

        clock.advance(Duration.ofMinutes(1));
        ActiveRules expired = s.activeRules(clock.instant());
        assertThat(expired).isNotSameAs(one);
        assertThat(expired.holds(QueueName.parse("acme@example.com"))).isFalse();
    }

    @Test
    void rulesSurviveAReopenAndExpiredOnesAreDropped() throws Exception {
        Suspensions first = open();
        AdminRule kept = first.suspend(new QueueSelector("", "", ".example.net", "", ""), "maintenance", Optional.empty());
        first.bounce(tenant("gone"), "closed", Duration.ofMinutes(5), true);

        clock.advance(Duration.ofMinutes(6));
        Suspensions second = open();

        assertThat(second.active(AdminRule.Kind.SUSPEND)).containsExactly(kept);
        assertThat(second.active(AdminRule.Kind.BOUNCE)).isEmpty();
        assertThat(second.holding(QueueName.parse("mx.example.net"))).isPresent();
        assertThat(second.holding(QueueName.parse("example.org"))).isEmpty();
    }

    @Test
    void suspendingTheSameSelectorTwiceExtendsOneRule() throws Exception {
        Suspensions s = open();
        AdminRule first = s.suspend(tenant("acme"), "one", Optional.of(Duration.ofMinutes(1)));
        AdminRule second = s.suspend(tenant("acme"), "two", Optional.of(Duration.ofHours(1)));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(s.active(AdminRule.Kind.SUSPEND)).containsExactly(second);
        assertThat(s.resume(tenant("acme"))).containsExactly(second);
        assertThat(s.active(AdminRule.Kind.SUSPEND)).isEmpty();
    }

    @Test
    void siteAndSourceSelectorsOnlyMatchRoutedMail() throws Exception {
        Suspensions s = open();
        s.suspend(new QueueSelector("", "", "", "mx.example.com", "ip1"), "warmup", Optional.empty());
        QueueName queue = QueueName.parse("acme@example.com");

        assertThat(s.holding(queue)).isEmpty();
        assertThat(s.holding(queue, "mx.example.com", "ip1")).isPresent();
        assertThat(s.holding(queue, "mx.example.com", "ip2")).isEmpty();
    }
}
