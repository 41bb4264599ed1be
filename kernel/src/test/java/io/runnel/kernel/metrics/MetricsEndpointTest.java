package io.runnel.kernel.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.runnel.kernel.TestDaemon;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {

    @TempDir
    Path home;

    @Test
    void aPortInUseStopsTheStartAndSaysWhy() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Throwable thrown = catchThrowable(() -> TestDaemon.start(home,
                    "[metrics]\nenabled = true\nlisten = \"127.0.0.1:" + taken.getLocalPort() + "\"\n").close());
            assertThat(thrown).hasMessageContaining("metrics: cannot listen on").hasMessageContaining(":" + taken.getLocalPort());
        }
    }

    @Test
    void disabledMeansNoEndpoint() throws Exception {
        try (TestDaemon daemon = TestDaemon.start(home, "")) {
            assertThat(daemon.get(MetricsEndpoint.class).address()).isEmpty();
        }
    }
}
