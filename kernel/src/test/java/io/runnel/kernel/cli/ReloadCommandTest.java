package io.runnel.kernel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReloadCommandTest {

    /** A daemon started under nohup cannot be signalled to reload: runnel reload says so instead of waiting. */
    @Test
    void aProcessStartedUnderNohupIsSeenToIgnoreSighupAndOneThatHandlesItIsNot() throws Exception {
        Process ignoring = new ProcessBuilder("nohup", "sleep", "30").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // python sets SIGHUP back to its default even when this JVM was itself started with it ignored
        Process handling = new ProcessBuilder("python3", "-c",
                "import signal, time; signal.signal(signal.SIGHUP, signal.SIG_DFL); print('ready', flush=True); time.sleep(30)")
                .redirectErrorStream(true).start();
        try {
            assertThat(handling.inputReader().readLine()).isEqualTo("ready");
            assertThat(ReloadCommand.ignoresHangup(handling.pid())).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> ReloadCommand.ignoresHangup(ignoring.pid()));
        } finally {
            ignoring.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            handling.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
