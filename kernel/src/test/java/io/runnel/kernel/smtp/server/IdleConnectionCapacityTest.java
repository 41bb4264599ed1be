package io.runnel.kernel.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import io.runnel.kernel.TestDaemon;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle clients (connected, greeted, silent) are held up to max_connections and the next one is refused with
 * 421 4.3.2; prints the heap they cost. Run bigger by hand:
 * {@code mvn -pl kernel -am verify -Dtest=IdleConnectionCapacityTest -Drunnel.idle.connections=9000}
 * (each connection is two file descriptors in this one JVM: keep it under half of {@code ulimit -n}).
 */
class IdleConnectionCapacityTest {

    @TempDir
    Path home;

    @Test
    void idleConnectionsAreHeldUpToTheListenerCapAndTheNextIsRefused() throws Exception {
        int cap = Integer.getInteger("runnel.idle.connections", 300);
        List<RawSmtpClient> clients = new ArrayList<>();
        try (TestDaemon daemon = TestDaemon.start(home, SmtpTestSupport.SERVER + """
                [[listener]]
                bind = "127.0.0.1:0"
                max_connections = %d
                """.formatted(cap))) {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            long directBefore = PlatformDependent.usedDirectMemory();
            for (int i = 0; i < cap; i++) {
                RawSmtpClient c = new RawSmtpClient(daemon.port());
                clients.add(c);
                assertThat(c.read().code()).as("connection %d", i + 1).isEqualTo(220);
            }
            try (RawSmtpClient refused = new RawSmtpClient(daemon.port())) {
                assertThat(refused.read().toString()).startsWith("421 4.3.2");
            }
            System.gc();
            long heap = memory.getHeapMemoryUsage().getUsed() - heapBefore;
            long direct = PlatformDependent.usedDirectMemory() - directBefore;
            System.out.printf("idle connections held: %d (the next refused 421 4.3.2); heap +%.1f MiB (%.1f KiB each, "
                            + "client sockets in this JVM included); Netty direct memory +%.1f MiB%n", cap, heap / 1048576.0,
                    heap / 1024.0 / cap, direct / 1048576.0);
            assertThat(daemon.get(SmtpServer.class).openSessions()).isEqualTo(cap);
        } finally {
            for (RawSmtpClient c : clients) {
                c.close();
            }
        }
    }
}
