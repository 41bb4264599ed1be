package io.runnel.plugin.clamav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.api.scan.ScanResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Against a real clamd started by the test with a one-signature (EICAR) database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClamdScannerTest {

    private Clamd clamd;
    private ClamdScanner scanner;

    @BeforeAll
    void startClamd(@TempDir Path work) throws Exception {
        clamd = Clamd.start(work);
        scanner = TestContext.scanner(clamd.config(Map.of("timeout", "20s")));
    }

    @AfterAll
    void stopClamd() {
        if (clamd != null) {
            clamd.close();
        }
    }

    @Test
    void anEicarAttachmentIsReportedInfectedWithClamdsSignatureName() throws Exception {
        ScanResult result = scanner.scan(TestMessage.withAttachment(TestMessage.EICAR.getBytes(StandardCharsets.US_ASCII)));

        assertThat(result).isInstanceOfSatisfying(ScanResult.Infected.class,
                infected -> assertThat(infected.name()).contains("Eicar"));
    }

    @Test
    void aCleanMessageIsReportedClean() throws Exception {
        assertThat(scanner.scan(TestMessage.plain("Lunch at noon?\r\n"))).isEqualTo(new ScanResult.Clean());
    }

    @Test
    void anAttachmentThatIsNotQuiteEicarIsClean() throws Exception {
        byte[] almost = TestMessage.EICAR.replace("TEST", "TEXT").getBytes(StandardCharsets.US_ASCII);

        assertThat(scanner.scan(TestMessage.withAttachment(almost))).isEqualTo(new ScanResult.Clean());
    }

    @Test
    void anEicarAttachmentIsFoundWhateverTheChunkSize() throws Exception {
        byte[] eicar = TestMessage.EICAR.getBytes(StandardCharsets.US_ASCII);
        for (long chunk : new long[] {1, 7, 100}) {
            ClamdScanner small = TestContext.scanner(clamd.config(Map.of("chunk_size", chunk)));

            assertThat(small.scan(TestMessage.withAttachment(eicar))).as("chunk_size %d", chunk)
                    .isInstanceOf(ScanResult.Infected.class);
        }
    }

    @Test
    void aMessageLargerThanStreamMaxLengthIsUnscannableWithoutBeingSent() throws Exception {
        TestMessage message = TestMessage.withAttachment(TestMessage.EICAR.getBytes(StandardCharsets.US_ASCII));
        long size = message.toBytes().length;
        ClamdScanner limited = TestContext.scanner(clamd.config(Map.of("stream_max_length", size - 1)));
        ClamdScanner exact = TestContext.scanner(clamd.config(Map.of("stream_max_length", size)));

        assertThat(limited.scan(message)).isInstanceOfSatisfying(ScanResult.Unscannable.class,
                u -> assertThat(u.reason()).contains("too large"));
        assertThat(exact.scan(message)).isInstanceOf(ScanResult.Infected.class);
    }

    @Test
    void aMessageBeyondClamdsOwnStreamMaxLengthFailsNamingClamdsError() throws Exception {
        byte[] body = new byte[11 * 1024 * 1024];
        Arrays.fill(body, (byte) 'a');
        TestMessage big = new TestMessage(TestMessage.plain("").headers(), body);

        assertThatThrownBy(() -> scanner.scan(big)).isInstanceOf(IOException.class)
                .hasMessageContaining("size limit exceeded");
    }

    @Test
    void theHealthCheckReportsClamdsVersion() throws Exception {
        assertThat(scanner.health()).startsWith("ClamAV ");
    }

    @Test
    void aScanFailsQuicklyOnceClamdHasStopped(@TempDir Path work) throws Exception {
        ClamdScanner own;
        try (Clamd stopping = Clamd.start(work)) {
            own = TestContext.scanner(stopping.config(Map.of("timeout", "20s")));
            assertThat(own.scan(TestMessage.plain("first\r\n"))).isEqualTo(new ScanResult.Clean());
        }

        long start = System.nanoTime();
        assertThatThrownBy(() -> own.scan(TestMessage.plain("second\r\n"))).isInstanceOf(IOException.class);
        assertThatThrownBy(own::health).isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
