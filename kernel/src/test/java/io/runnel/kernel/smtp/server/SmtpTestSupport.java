package io.runnel.kernel.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.kernel.RunningDaemon;
import io.runnel.kernel.TestDaemon;
import io.runnel.kernel.auth.Bcrypt;
import io.runnel.kernel.spool.SpoolId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/** Shared bits of the listener tests: config text, a test user, opening a transaction, reading back the spool. */
final class SmtpTestSupport {

    static final String USER = "alice";
    static final String PASSWORD = "correct horse";

    /** A [server] section with a local and a bounce domain. */
    static final String SERVER = """
            [server]
            hostname = "mx.test.example"
            local_domains = ["local.example"]
            bounce_domains = ["bounces.example"]
            """;

    private SmtpTestSupport() {
    }

    /** An [[auth.users]] entry for {@link #USER} with a cheap bcrypt hash of {@link #PASSWORD}. */
    static String authUser() {
        return "\n[[auth.users]]\nname = \"" + USER + "\"\npassword_hash = \""
                + Bcrypt.hash(PASSWORD.toCharArray(), 4, new SecureRandom()) + "\"\n";
    }

    /** A session on {@code port} after greeting and EHLO, with {@code MAIL FROM:<a@b.example>} accepted. */
    static RawSmtpClient mailFrom(int port) throws Exception {
        RawSmtpClient c = new RawSmtpClient(port);
        c.greetAndEhlo();
        assertThat(c.command("MAIL FROM:<a@b.example>").code()).isEqualTo(250);
        return c;
    }

    /** {@link #mailFrom} and then {@code RCPT TO:<x@local.example>} accepted. */
    static RawSmtpClient openTransaction(int port) throws Exception {
        RawSmtpClient c = mailFrom(port);
        assertThat(c.command("RCPT TO:<x@local.example>").code()).isEqualTo(250);
        return c;
    }

    /** {@link #openTransaction} and then DATA accepted with 354: what the client sends next is message content. */
    static RawSmtpClient openData(int port) throws Exception {
        RawSmtpClient c = openTransaction(port);
        assertThat(c.command("DATA").code()).isEqualTo(354);
        return c;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The spool id in a {@code 250 ... queued as <id>} reply. */
    static SpoolId queuedId(RawSmtpClient.Reply reply) {
        assertThat(reply.code()).as("reply %s", reply).isEqualTo(250);
        String text = reply.text();
        return SpoolId.parse(text.substring(text.lastIndexOf(' ') + 1));
    }

    static byte[] body(RunningDaemon daemon, SpoolId id) throws Exception {
        return daemon.spool().loadBody(id).orElseThrow();
    }

    /** The stored body without the Received header the server prepended (whose continuation lines start with a tab). */
    static byte[] afterReceived(byte[] stored) {
        assertThat(new String(stored, 0, Math.min(stored.length, 10), StandardCharsets.US_ASCII)).isEqualTo("Received: ");
        for (int i = 0; i + 1 < stored.length; i++) {
            if (stored[i] == '\r' && stored[i + 1] == '\n' && (i + 2 >= stored.length || stored[i + 2] != '\t')) {
                return Arrays.copyOfRange(stored, i + 2, stored.length);
            }
        }
        throw new AssertionError("no end of the Received header");
    }

    /** The Received header the server prepended, unfolded lines included. */
    static String receivedHeader(byte[] stored) {
        int length = stored.length - afterReceived(stored).length;
        return new String(stored, 0, length, StandardCharsets.UTF_8);
    }

    static int spoolCount(RunningDaemon daemon) throws Exception {
        return daemon.spooledIds().size();
    }

    static int spoolCount(TestDaemon daemon) throws Exception {
        return daemon.spooledIds().size();
    }
}
