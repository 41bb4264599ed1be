package io.runnel.kernel.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.SmtpTestClient;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.spool.SpoolId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scanner plugins at reception, through a real plugin jar and real SMTP: the kernel's [scanning] policy turns what
 * a scanner reports into a refusal, tag headers or nothing, per tenant.
 */
class ScanningAtReceptionTest {

    @TempDir
    static Path home;
    static TestDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        PluginJarBuilder.plugin("wordscan").extension("t.scan.WordScanner", """
                package t.scan;
                import io.runnel.api.mail.MessageView;
                import io.runnel.api.scan.MessageScanner;
                import io.runnel.api.scan.ScanResult;
                import java.nio.charset.StandardCharsets;
                import java.util.List;
                public class WordScanner implements MessageScanner {
                    @Override public ScanResult scan(MessageView message) throws Exception {
                        String body = new String(message.openBody().readAllBytes(), StandardCharsets.UTF_8);
                        if (body.contains("VIRUS")) return new ScanResult.Infected("Test.Virus-1");
                        if (body.contains("SPAM")) return new ScanResult.Spam(12.5, List.of("TEST_SPAM", "BAYES_99"));
                        if (body.contains("CRASH")) throw new IllegalStateException("scanner down");
                        return new ScanResult.Spam(0.5, List.of("NONE"));
                    }
                }
                """).build(Files.createDirectories(home.resolve("plugins")));
        daemon = TestDaemon.start(home, """
                [scanning]
                spam_threshold = 5
                spam_action = "tag"

                [[scanning.tenant]]
                name = "strict"
                spam_action = "reject"
                unavailable = "accept"
                """);
    }

    @AfterAll
    static void stop() {
        daemon.close();
    }

    @Test
    void aCleanMessageIsAcceptedWithItsScore() throws Exception {
        String id = queued(send("", "hello"));
        assertThat(stored(id)).contains("X-Spam-Status: No, score=0.5 required=5.0 tests=NONE").doesNotContain("X-Spam-Flag");
    }

    @Test
    void aVirusIsRefusedNamingItAndNothingIsSpooled() throws Exception {
        int before = daemon.spooledIds().size();
        assertThat(send("", "VIRUS inside")).isEqualTo("554 5.7.1 Message rejected: virus found: Test.Virus-1");
        assertThat(daemon.spooledIds()).hasSize(before);
    }

    @Test
    void spamIsTaggedByDefaultAndRefusedForATenantThatSaysSo() throws Exception {
        String id = queued(send("", "buy SPAM now"));
        assertThat(stored(id)).contains("X-Spam-Flag: YES").contains("X-Spam-Score: 12.5")
                .contains("X-Spam-Status: Yes, score=12.5 required=5.0 tests=TEST_SPAM,BAYES_99");
        assertThat(send("X-Tenant: strict\r\n", "buy SPAM now")).isEqualTo("550 5.7.1 Message rejected as spam");
    }

    @Test
    void aFailingScannerTempfailsOrLetsMailThroughMarkedAsThePolicySays() throws Exception {
        assertThat(send("", "CRASH")).isEqualTo("451 4.7.1 Content scanner unavailable, try again later");
        String id = queued(send("X-Tenant: strict\r\n", "CRASH"));
        assertThat(stored(id)).contains("X-Runnel-Not-Scanned: wordscan: scanner unavailable");
    }

    private static String queued(String reply) {
        assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
        return reply.substring(reply.lastIndexOf(' ') + 1);
    }

    private static String stored(String id) throws Exception {
        return new String(daemon.spool().loadBody(SpoolId.parse(id)).orElseThrow(), StandardCharsets.UTF_8);
    }

    /** One transaction; returns the reply to the end of data. */
    private static String send(String extraHeaders, String body) throws IOException {
        try (SmtpTestClient client = new SmtpTestClient(daemon.port())) {
            return client.send("a@sender.example", "b@rcpt.example",
                    "From: a@sender.example\r\n" + extraHeaders + "Subject: scan\r\n\r\n" + body + "\r\n");
        }
    }
}
