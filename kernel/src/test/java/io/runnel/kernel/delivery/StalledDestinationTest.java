package io.runnel.kernel.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.runnel.grpc.v1.InjectRequest;
import io.runnel.kernel.Journal;
import io.runnel.kernel.LoopbackPorts;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.delivery.StallingMx.Stall;
import io.runnel.kernel.dns.TestDnsServer;
import io.runnel.sdk.client.RunnelClient;
import io.runnel.sdk.sink.SinkOptions;
import io.runnel.sdk.sink.SmtpSink;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One big provider hangs (its MX accepts connections and never greets, or never answers a message) while most of
 * the mail is for it. Proves, with real SMTP in and out: the other destinations keep flowing at about their usual
 * rate; the provider gets at most {@code connection_limit} connections, each ended by the configured timeout; the
 * waiting bodies stay in the LMDB spool, not the heap (the live heap, measured after full collections during the
 * stall, grows by far less than the bodies queued); once the provider answers again, every message is delivered
 * exactly once (ledger by Message-ID at the receiving sinks).
 *
 * <p>Mail is injected over gRPC while the other destinations' site is suspended, which is then resumed: their
 * delivery rate is how fast that backlog drains, with and without the stall. {@code -Drunnel.stall.messages=20000}
 * runs it at scale (default 1,200 in the stall, a quarter as many before it).
 */
class StalledDestinationTest {

    private static final int MESSAGES = Integer.getInteger("runnel.stall.messages", 1_200);
    private static final int PROVIDER_DOMAINS = 50;
    private static final int OTHER_DOMAINS = 10;
    private static final int CONNECTION_LIMIT = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int INJECTORS = 4;
    private static final long MIB = 1 << 20;
    /** Live heap the stall may add: fixed overhead plus per queued message (ids, due times, queue entries). */
    private static final long ALLOWED_FIXED = 32 * MIB;
    private static final long ALLOWED_PER_MESSAGE = 2048;

    @TempDir
    Path home;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @ParameterizedTest
    @EnumSource(Stall.class)
    void otherMailFlowsMemoryStaysBoundedAndAllIsDeliveredOnceWhenTheProviderComesBack(Stall stall) throws Exception {
        int port = LoopbackPorts.free("127.0.0.2");
        InetSocketAddress providerMx = new InetSocketAddress("127.0.0.3", port);
        SmtpSink others = sink(new InetSocketAddress("127.0.0.2", port));
        SmtpSink provider = sink(providerMx);
        TestDnsServer dns = TestDnsServer.start();
        open.add(dns);
        dns.a("mx.provider.test", "127.0.0.3").a("mx.others.test", "127.0.0.2");
        for (int d = 0; d < PROVIDER_DOMAINS; d++) {
            dns.mx("p" + d + ".example", 10, "mx.provider.test");
        }
        for (int d = 0; d < OTHER_DOMAINS; d++) {
            dns.mx("o" + d + ".example", 10, "mx.others.test");
        }
        TestDaemon daemon = TestDaemon.start(home, """
                [dns]
                name_servers = ["127.0.0.1:%d"]

                [spool]
                sync = "none"
                map_size = "8GiB"

                [delivery]
                smtp_port = %d
                enable_tls = "disabled"
                connection_limit = %d
                max_ready = 100
                command_timeout = "%ds"
                data_timeout = "%ds"

                [queues]
                retry_interval = "3s"
                max_retry_interval = "3s"
                """.formatted(dns.address().getPort(), port, CONNECTION_LIMIT, TIMEOUT.toSeconds(), TIMEOUT.toSeconds()));
        open.add(daemon);

        // without a stall: how fast the other destinations get their mail
        RunnelClient client = RunnelClient.builder().target("127.0.0.1:" + daemon.grpcAddress().getPort()).build();
        open.add(client);
        Batch before = Batch.of("before", MESSAGES / 4);
        double rateBefore = injectThenDrainOthers(daemon, client, before, others);
        await().atMost(patience()).until(() -> provider.messageCount() == before.forProvider());
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.spooledIds().isEmpty());
        long heapBefore = liveHeap();

        // the provider hangs
        provider.close();
        open.remove(provider);
        StallingMx stalling = new StallingMx(providerMx, stall);
        open.add(stalling);
        HighWater injecting = new HighWater();
        HighWater waiting = new HighWater();
        AtomicReference<HighWater> heap = new AtomicReference<>(injecting);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> heap.get().note(liveHeap()), 0, 1, TimeUnit.SECONDS);
        Batch during = Batch.of("during", MESSAGES);
        double rateDuring;
        int spooledAtPeak;
        try {
            rateDuring = injectThenDrainOthers(daemon, client, during, others);
            heap.set(waiting);
            spooledAtPeak = daemon.spooledIds().size();
            waiting.note(liveHeap());
            // the provider's connections keep timing out and being replaced, never more than the limit at once
            await().atMost(Duration.ofSeconds(30)).until(() -> stalling.closedByClient() >= 3 * CONNECTION_LIMIT);
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertThat(stalling.mostOpenAtOnce()).isBetween(1, CONNECTION_LIMIT);
        assertThat(stalling.longestConnectionMillis()).isLessThan(TIMEOUT.plusSeconds(8).toMillis()); // loaded machines lag
        assertThat(spooledAtPeak).isGreaterThanOrEqualTo(during.forProvider() * 9 / 10);

        long highWater = Math.max(injecting.max(), waiting.max());
        long grown = Math.max(0, highWater - heapBefore);
        long allowed = ALLOWED_FIXED + ALLOWED_PER_MESSAGE * during.forProvider();
        assertThat(during.providerBytes()).as("bodies held in heap would overshoot the bound").isGreaterThan(allowed);
        System.out.printf("stall %s: %d messages (%d MiB of bodies) waiting for the provider; live heap %d MiB before, "
                        + "high-water %d MiB while injecting and %d MiB while waiting (+%d MiB, bound %d MiB); others "
                        + "delivered at %.0f/s before, %.0f/s during; provider: %d connections, at most %d at once, "
                        + "longest %d ms%n",
                stall, during.forProvider(), during.providerBytes() / MIB, heapBefore / MIB, injecting.max() / MIB,
                waiting.max() / MIB, grown / MIB, allowed / MIB, rateBefore, rateDuring, stalling.accepted(),
                stalling.mostOpenAtOnce(), stalling.longestConnectionMillis());
        assertThat(grown).isLessThan(allowed);
        // a stall that held the others up would bring them near zero; the stalled backlog's churn (Delayed
        // re-queueing, timed-out attempts) costs them some of the shared state thread's and CPU's time
        assertThat(rateDuring).as("delivery rate to the other destinations during the stall").isGreaterThan(rateBefore / 10);

        // the provider answers again: everything goes, once
        stalling.close();
        open.remove(stalling);
        SmtpSink back = sink(providerMx);
        await().atMost(patience()).until(() -> back.messageCount() >= during.forProvider());
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.spooledIds().isEmpty());
        Map<String, Long> ledger = new HashMap<>(others.messageIds());
        List.of(provider.messageIds(), back.messageIds()).forEach(ids -> ids.forEach((id, n) -> ledger.merge(id, n, Long::sum)));
        assertThat(ledger).hasSize(before.size() + during.size());
        assertThat(ledger.values()).containsOnly(1L);

        // the backlog a full ready queue sends back waits longer each time and is logged once per run of misses,
        // not every few seconds for as long as the stall lasts
        List<String> journal = Journal.lines(home);
        long delayed = journal.stream().filter(line -> line.contains("\"Delayed\"")).count();
        System.out.printf("stall %s: %d Delayed records for %d messages%n", stall, delayed, during.forProvider());
        assertThat(delayed).isLessThanOrEqualTo(2L * during.forProvider());
    }

    private SmtpSink sink(InetSocketAddress address) throws Exception {
        SmtpSink sink = SmtpSink.start(SinkOptions.defaults().withBindAddress(address.getAddress()).withPort(address.getPort())
                .keepingMessageIds(true));
        open.add(sink);
        return sink;
    }

    /**
     * Injects the batch over {@link #INJECTORS} gRPC streams with the other destinations' site suspended, then resumes
     * it and returns how fast their mail drains to their sink (messages per second): the delivery rate, not the
     * injection rate.
     */
    private static double injectThenDrainOthers(TestDaemon daemon, RunnelClient client, Batch batch, SmtpSink others)
            throws Exception {
        DeliveryEngine engine = daemon.get(DeliveryEngine.class);
        long othersBefore = others.messageCount();
        engine.suspendSite("default", "mx.others.test", "held while injecting");
        ExecutorService injectors = Executors.newFixedThreadPool(INJECTORS);
        try {
            List<Future<Long>> streams = new ArrayList<>();
            for (int t = 0; t < INJECTORS; t++) {
                int stream = t;
                streams.add(injectors.submit(() -> {
                    AtomicLong accepted = new AtomicLong();
                    Iterator<InjectRequest> requests = IntStream.range(0, batch.size()).filter(i -> i % INJECTORS == stream)
                            .mapToObj(batch::request).iterator();
                    client.injectAll(requests, result -> {
                        if (result.hasAccepted()) {
                            accepted.incrementAndGet();
                        }
                    });
                    return accepted.get();
                }));
            }
            long accepted = 0;
            for (Future<Long> stream : streams) {
                accepted += stream.get(5, TimeUnit.MINUTES);
            }
            assertThat(accepted).isEqualTo(batch.size());
        } finally {
            injectors.shutdownNow();
        }
        long start = System.nanoTime();
        engine.resumeSite("default", "mx.others.test");
        AtomicLong done = new AtomicLong();
        await().atMost(patience()).pollInterval(Duration.ofMillis(20)).until(() -> {
            done.set(System.nanoTime());
            return others.messageCount() - othersBefore >= batch.forOthers();
        });
        return batch.forOthers() / ((done.get() - start) / 1e9);
    }

    /** How long a batch may take to arrive: a minute, and more for runs at scale. */
    private static Duration patience() {
        return Duration.ofSeconds(60 + MESSAGES / 10);
    }

    /** Live heap: used right after a full collection. */
    private long liveHeap() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The largest value noted, from any thread. */
    private static final class HighWater {
        private final AtomicLong max = new AtomicLong();

        void note(long value) {
            max.accumulateAndGet(value, Math::max);
        }

        long max() {
            return max.get();
        }
    }

    /**
     * Messages {@code 0..size-1}: one in five for the other destinations, the rest for the provider's domains; sizes
     * spread over 4 KiB to 100 KiB; each has its own Message-ID.
     */
    private record Batch(String name, int size) {

        static Batch of(String name, int size) {
            return new Batch(name, size);
        }

        boolean forProvider(int i) {
            return i % 5 != 0;
        }

        int forProvider() {
            return size - forOthers();
        }

        int forOthers() {
            return (size + 4) / 5;
        }

        long providerBytes() {
            long sum = 0;
            for (int i = 0; i < size; i++) {
                sum += forProvider(i) ? bodySize(i) : 0;
            }
            return sum;
        }

        String recipient(int i) {
            return "user" + i + "@" + (forProvider(i) ? "p" + (i % PROVIDER_DOMAINS) : "o" + (i % OTHER_DOMAINS)) + ".example";
        }

        static int bodySize(int i) {
            return 4096 + (int) ((i * 7919L) % (96 * 1024));
        }

        InjectRequest request(int i) {
            byte[] line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream raw = new ByteArrayOutputStream(bodySize(i) + 200);
            raw.writeBytes(("From: alice@sender.example\r\nTo: " + recipient(i) + "\r\nMessage-ID: <" + i + "." + name
                    + "@stall.test>\r\nSubject: stall\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int n = 0; n < bodySize(i); n += line.length) {
                raw.writeBytes(line);
            }
            return InjectRequest.newBuilder().setEnvelopeSender("alice@sender.example").addEnvelopeRecipients(recipient(i))
                    .setRaw(ByteString.copyFrom(raw.toByteArray())).build();
        }
    }
}
