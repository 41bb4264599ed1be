package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.afterReceived;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.body;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.openTransaction;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.queuedId;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.spoolCount;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.RunningDaemon;
import io.runnel.kernel.spool.SpoolId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CHUNKING (RFC 3030): chunks are byte-exact, counted not parsed, and refused chunks are still read. */
class BdatTest {

    @RegisterExtension
    static final RunningDaemon daemon = RunningDaemon.with(SmtpTestSupport.SERVER + """
            [[listener]]
            bind = "127.0.0.1:0"
            max_message_size = "10KiB"
            [[listener]]
            bind = "127.0.0.1:0"
            bare_line_endings = "normalize"
            """);

    private static String bdat(String chunk, boolean last) {
        return "BDAT " + chunk.getBytes(StandardCharsets.UTF_8).length + (last ? " LAST" : "") + "\r\n" + chunk;
    }

    @Test
    void chunksAreStoredByteExactWithDotsAndTerminatorsAsContent() throws Exception {
        String[] chunks = {"Subject: chunks\r\n\r\n.leading dot\r\n..two\r", "\n.\r\n", "MAIL FROM:<e@x.example>\r\n", "QUIT\r\nend\r\n"};
        try (RawSmtpClient c = openTransaction(daemon.port(0))) {
            for (int i = 0; i < chunks.length - 1; i++) {
                assertThat(c.send(bdat(chunks[i], false)).read().toString()).startsWith("250 2.0.0");
            }
            SpoolId id = queuedId(c.send(bdat(chunks[chunks.length - 1], true)).read());
            assertThat(new String(afterReceived(body(daemon, id)), StandardCharsets.US_ASCII))
                    .isEqualTo(String.join("", chunks));
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
    }

    @Test
    void pipelinedBdatGetsOneReplyPerCommandInOrder() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = new RawSmtpClient(daemon.port(0))) {
            c.greetAndEhlo();
            c.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<x@local.example>\r\n" + bdat("Subject: p\r\n\r\n", false)
                    + bdat("body\r\n", false) + bdat("", true) + "MAIL FROM:<c@d.example>\r\nRCPT TO:<y@local.example>\r\n"
                    + bdat("second\r\n", true) + "NOOP\r\n");
            assertThat(c.read().toString()).startsWith("250 2.1.0");
            assertThat(c.read().toString()).startsWith("250 2.1.5");
            assertThat(c.read().toString()).isEqualTo("250 2.0.0 14 octets received");
            assertThat(c.read().toString()).isEqualTo("250 2.0.0 20 octets received");
            SpoolId first = queuedId(c.read());
            assertThat(c.read().toString()).startsWith("250 2.1.0");
            assertThat(c.read().toString()).startsWith("250 2.1.5");
            SpoolId second = queuedId(c.read());
            assertThat(c.read().toString()).isEqualTo("250 2.0.0 Ok");
            assertThat(afterReceived(body(daemon, first))).isEqualTo("Subject: p\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(afterReceived(body(daemon, second))).isEqualTo("second\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(spoolCount(daemon)).isEqualTo(before + 2);
    }

    @Test
    void bdatWithoutMailIsRefusedAfterItsChunkIsRead() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = new RawSmtpClient(daemon.port(0))) {
            c.greetAndEhlo();
            c.send(bdat("QUIT\r\nRSET\r\n", true) + "NOOP\r\n");
            assertThat(c.read().toString()).startsWith("503 5.5.1");
            assertThat(c.read().toString()).as("the chunk was not run as commands").isEqualTo("250 2.0.0 Ok");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before);
    }

    @Test
    void bdatWithoutRecipientsIsRefusedAfterItsChunkIsRead() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(daemon.port(0))) {
            c.greetAndEhlo();
            c.command("MAIL FROM:<a@b.example>");
            c.send(bdat("QUIT\r\n", false) + "NOOP\r\n");
            assertThat(c.read().toString()).startsWith("554 5.5.1");
            assertThat(c.read().toString()).isEqualTo("250 2.0.0 Ok");
            // RFC 3030: the refused chunk failed the transaction, so a new one can start at once
            assertThat(c.command("MAIL FROM:<c@d.example>").code()).isEqualTo(250);
        }
    }

    @Test
    void dataAfterBdatIsRefused() throws Exception {
        try (RawSmtpClient c = openTransaction(daemon.port(0))) {
            assertThat(c.send(bdat("part\r\n", false)).read().code()).isEqualTo(250);
            assertThat(c.command("DATA").toString()).startsWith("503 5.5.1");
            SpoolId id = queuedId(c.send(bdat("rest\r\n", true)).read());
            assertThat(afterReceived(body(daemon, id))).isEqualTo("part\r\nrest\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void chunksOverTheSizeLimitGet552AndNothingIsSpooled() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = openTransaction(daemon.port(0))) {
            String big = "q".repeat(6000);
            assertThat(c.send(bdat(big, false)).read().code()).isEqualTo(250);
            assertThat(c.send(bdat(big, true)).read().toString()).startsWith("552 5.3.4");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
            assertThat(c.command("MAIL FROM:<a@b.example>").code()).as("the transaction was reset").isEqualTo(250);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before);
    }

    @Test
    void bareLineEndingInAChunkIsRefused() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = openTransaction(daemon.port(0))) {
            assertThat(c.send(bdat("a\nb\r\n", true)).read().toString()).startsWith("550 5.6.0");
            assertThat(c.command("NOOP").code()).isEqualTo(250);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before);
    }

    @Test
    void crlfSplitAcrossChunksIsNotABareLineEnding() throws Exception {
        try (RawSmtpClient c = openTransaction(daemon.port(0))) {
            assertThat(c.send(bdat("a\r", false)).read().code()).isEqualTo(250);
            SpoolId id = queuedId(c.send(bdat("\nb\r\n", true)).read());
            assertThat(afterReceived(body(daemon, id))).isEqualTo("a\r\nb\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void bareLineEndingInAChunkIsNormalisedWhenConfigured() throws Exception {
        try (RawSmtpClient c = openTransaction(daemon.port(1))) {
            SpoolId id = queuedId(c.send(bdat("a\nb\rc\r\n", true)).read());
            assertThat(afterReceived(body(daemon, id))).isEqualTo("a\r\nb\r\nc\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
