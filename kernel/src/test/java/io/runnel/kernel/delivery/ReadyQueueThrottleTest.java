package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.config.DeliveryConfig;
import io.runnel.kernel.config.EgressLimits;
import io.runnel.kernel.config.EgressSource;
import io.runnel.kernel.delivery.ReadyQueue.Work;
import io.runnel.kernel.dns.DeliveryPlan;
import io.runnel.kernel.dns.HostCandidate;
import io.runnel.kernel.queue.QueueName;
import io.runnel.kernel.shaping.EgressPath;
import io.runnel.kernel.shaping.ThrottleSpec;
import io.runnel.kernel.spool.SpoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The throttles of a ready queue hold work back without taking it out; the time is passed in. */
class ReadyQueueThrottleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final DeliveryPlan PLAN = new DeliveryPlan("mx.example", List.of(new HostCandidate("mx.example", 25)));

    private static ReadyQueue queue(String messageRate, String connectionRate) {
        return new ReadyQueue(new EgressSource("default", Optional.empty(), "runnel.test"), "default", "example.com", PLAN,
                path(new EgressLimits(10, 100, 100, Optional.ofNullable(messageRate).map(ThrottleSpec::parse),
                        Optional.ofNullable(connectionRate).map(ThrottleSpec::parse))));
    }

    private static EgressPath path(EgressLimits limits) {
        return EgressPath.of(new DeliveryConfig.Limits(10, 100, 100, DeliveryConfig.EnableTls.OPPORTUNISTIC, 25,
                Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofSeconds(5),
                Optional.empty(), Optional.empty())).withLimits(limits);
    }

    private static Work work(int n) {
        return new Work(new QueueName(Optional.empty(), Optional.empty(), "example.com"), new SpoolId(0, n));
    }

    @Test
    void aThrottledMessageStaysQueuedAndTheWaitIsNamed() {
        ReadyQueue q = queue("2/min,max_burst=1", null);
        q.offer(work(1), PLAN);
        q.offer(work(2), PLAN);
        assertThat(q.poll(T0).work()).contains(work(1));
        ReadyQueue.Take held = q.poll(T0.plusSeconds(10));
        assertThat(held.work()).isEmpty();
        assertThat(held.retryAfter()).contains(Duration.ofSeconds(20));
        assertThat(q.waiting()).containsExactly(work(2));
        assertThat(q.poll(T0.plusSeconds(30)).work()).contains(work(2));
        assertThat(q.poll(T0.plusSeconds(30))).isEqualTo(ReadyQueue.Take.NOTHING);
    }

    @Test
    void theConnectionRateDefersNewConnections() {
        ReadyQueue q = queue(null, "1/s,max_burst=1");
        q.offer(work(1), PLAN);
        q.offer(work(2), PLAN);
        assertThat(q.reserveConnection(T0)).isEqualTo(ReadyQueue.Reservation.RESERVED);
        assertThat(q.reserveConnection(T0.plusMillis(400)).retryAfter()).contains(Duration.ofMillis(600));
        assertThat(q.connections()).isEqualTo(1);
        assertThat(q.reserveConnection(T0.plusSeconds(1))).isEqualTo(ReadyQueue.Reservation.RESERVED);
    }

    @Test
    void noConnectionOpensOnlyToWaitForTheMessageRate() {
        ReadyQueue q = queue("1/min,max_burst=1", null);
        q.offer(work(1), PLAN);
        q.offer(work(2), PLAN);
        assertThat(q.reserveConnection(T0)).isEqualTo(ReadyQueue.Reservation.RESERVED);
        assertThat(q.poll(T0).work()).contains(work(1));
        // one connection is open: it takes work(2) when the rate allows; no second one to wait beside it
        assertThat(q.reserveConnection(T0)).isEqualTo(ReadyQueue.Reservation.NOT_NEEDED);
        q.releaseConnection();
        assertThat(q.reserveConnection(T0.plusSeconds(15)).retryAfter()).contains(Duration.ofSeconds(45));
        assertThat(q.reserveConnection(T0.plusSeconds(60))).isEqualTo(ReadyQueue.Reservation.RESERVED);
    }

    @Test
    void aReloadWithTheSameThrottleKeepsItsState() {
        ReadyQueue q = queue("1/min,max_burst=1", null);
        q.offer(work(1), PLAN);
        q.offer(work(2), PLAN);
        assertThat(q.poll(T0).work()).isPresent();
        q.path(q.path());
        assertThat(q.poll(T0).retryAfter()).contains(Duration.ofMinutes(1));
        q.path(path(new EgressLimits(10, 100, 100)));
        assertThat(q.poll(T0).work()).contains(work(2));
    }
}
