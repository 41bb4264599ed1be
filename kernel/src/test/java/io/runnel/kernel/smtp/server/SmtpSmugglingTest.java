package io.runnel.kernel.smtp.server;

import static io.runnel.kernel.smtp.server.SmtpTestSupport.afterReceived;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.body;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.openData;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.queuedId;
import static io.runnel.kernel.smtp.server.SmtpTestSupport.spoolCount;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.RunningDaemon;
import io.runnel.kernel.smtp.server.RawSmtpClient.Reply;
import io.runnel.kernel.spool.SpoolId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling (CVE-2023-51764/5/6): only CRLF.CRLF ends DATA, a bare CR or LF is refused by default and
 * normalised on request, and a message with a fake end of data never turns into two messages.
 * Listener 0 rejects bare line endings (the default), listener 1 normalises them.
 */
class SmtpSmugglingTest {

    private static final String SMUGGLED = "MAIL FROM:<evil@attacker.example>\r\nRCPT TO:<victim@local.example>\r\nDATA\r\n"
            + "From: ceo@local.example\r\nSubject: smuggled\r\n\r\nsend money\r\n";

    @RegisterExtension
    static final RunningDaemon daemon = RunningDaemon.with(SmtpTestSupport.SERVER + """
            [[listener]]
            name = "strict"
            bind = "127.0.0.1:0"
            [[listener]]
            name = "lenient"
            bind = "127.0.0.1:0"
            bare_line_endings = "normalize"
            """);

    /** After the reply to the message, the next reply must be NOOP's and then QUIT's: nothing smuggled ran. */
    private static void assertNoFurtherReplies(RawSmtpClient c) throws Exception {
        Reply noop = c.read();
        assertThat(noop.toString()).isEqualTo("250 2.0.0 Ok");
        assertThat(c.command("QUIT").code()).isEqualTo(221);
        assertThat(c.closedByServer()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\r\n", "\r.\r\n", "\r\n.\n", "\n.\n", "\r\n.\r", "\r.\r"})
    void fakeEndOfDataIsRefusedAndNothingIsSmuggled(String fakeEnd) throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = openData(daemon.port(0))) {
            c.send("Subject: innocent\r\n\r\nhello" + fakeEnd + SMUGGLED + "\r\n.\r\nNOOP\r\n");
            assertThat(c.read().toString()).startsWith("550 5.6.0");
            assertNoFurtherReplies(c);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\r\n", "\r.\r\n", "\r\n.\n", "\n.\n", "\r\n.\r", "\r.\r"})
    void fakeEndOfDataIsNormalisedIntoOneMessage(String fakeEnd) throws Exception {
        int before = spoolCount(daemon);
        SpoolId id;
        try (RawSmtpClient c = openData(daemon.port(1))) {
            c.send("Subject: innocent\r\n\r\nhello" + fakeEnd + SMUGGLED + "\r\n.\r\nNOOP\r\n");
            id = queuedId(c.read());
            assertNoFurtherReplies(c);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before + 1);
        String stored = new String(afterReceived(body(daemon, id)), StandardCharsets.US_ASCII);
        assertThat(stored).startsWith("Subject: innocent\r\n\r\nhello\r\n").contains(SMUGGLED);
        assertThat(stored.replace("\r\n", "")).as("only CRLF line endings are stored").doesNotContain("\r", "\n");
    }

    @Test
    void bareLfInContentIsRefusedWith550AndTheSessionGoesOn() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = openData(daemon.port(0))) {
            c.send("Subject: lf\n\nbody\r\n");
            assertThat(c.command(".").toString()).startsWith("550 5.6.0");
            assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before);
    }

    @Test
    void bareCrInContentIsRefusedWith550() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = openData(daemon.port(0))) {
            c.send("Subject: cr\r\n\r\nbo\rdy\r\n");
            assertThat(c.command(".").toString()).startsWith("550 5.6.0");
        }
        assertThat(spoolCount(daemon)).isEqualTo(before);
    }

    @Test
    void bareLineEndingsAreNormalisedToCrlfWhenConfigured() throws Exception {
        try (RawSmtpClient c = openData(daemon.port(1))) {
            c.send("Subject: mixed\n\nline1\rline2\nline3\r\n");
            SpoolId id = queuedId(c.command("."));
            assertThat(new String(afterReceived(body(daemon, id)), StandardCharsets.US_ASCII))
                    .isEqualTo("Subject: mixed\r\n\r\nline1\r\nline2\r\nline3\r\n");
        }
    }

    @Test
    void pipelinedSmugglingAfterARealEndOfDataIsJustTheNextTransaction() throws Exception {
        int before = spoolCount(daemon);
        try (RawSmtpClient c = openData(daemon.port(0))) {
            c.send("Subject: one\r\n\r\nfirst\r\n.\r\n" + SMUGGLED + ".\r\nNOOP\r\n");
            SpoolId first = queuedId(c.read());
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().code()).isEqualTo(250);
            assertThat(c.read().code()).isEqualTo(354);
            SpoolId second = queuedId(c.read());
            assertThat(second).isNotEqualTo(first);
            assertNoFurtherReplies(c);
        }
        assertThat(spoolCount(daemon)).isEqualTo(before + 2);
    }
}
