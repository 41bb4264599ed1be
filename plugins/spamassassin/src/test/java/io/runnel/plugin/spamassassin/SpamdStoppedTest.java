package io.runnel.plugin.spamassassin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.runnel.api.scan.ScanResult;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A spamd of its own, since this test stops it. */
class SpamdStoppedTest {

    @Test
    void aScanAfterSpamdStoppedThrowsQuicklyInsteadOfWaitingForTheTimeout() throws Exception {
        try (Spamd spamd = Spamd.start()) {
            SpamdScanner scanner = new SpamdScanner(TestContext.of(spamd.config()));
            assertThat(scanner.scan(TestMessage.gtube())).isInstanceOf(ScanResult.Spam.class);

            spamd.stop();

            long start = System.nanoTime();
            assertThatThrownBy(() -> scanner.scan(TestMessage.gtube()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:" + spamd.port());
            // the configured timeout is 30 s; a refused connection must not wait for it
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
