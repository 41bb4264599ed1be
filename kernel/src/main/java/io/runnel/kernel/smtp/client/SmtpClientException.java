package io.runnel.kernel.smtp.client;

import io.runnel.api.smtp.SmtpReply;
import java.time.Duration;
import java.util.Objects;

/**
 * Why an outbound connection could not be opened or could not finish a transaction. Each failure has a
 * {@link #reply()} shaped like an SMTP reply for delivery logs and bounce text (never sent to a peer).
 *
 * <p>All of them are {@linkplain #isTransient() transient}: they say something about this host at this moment,
 * not about the message. That includes a {@link Rejected} 5xx greeting or EHLO (RFC 5321 3.1: the client moves on
 * to the next MX); the caller bounces only once every host refused, from the replies it collected. Per-recipient
 * outcomes of a transaction that ran are not exceptions but a {@link TransactionResult}.
 */
public abstract sealed class SmtpClientException extends Exception {

    private final SmtpStage stage;

    private SmtpClientException(SmtpStage stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    /** The stage whose reply (or connection) failed. */
    public SmtpStage stage() {
        return stage;
    }

    /** A reply describing the failure, for logs and bounces. */
    public abstract SmtpReply reply();

    /** Always true; see the class comment. */
    public boolean isTransient() {
        return true;
    }

    /** Keeps peer- or OS-supplied text on one short line, as reply text must be. */
    static String oneLine(String text) {
        String clean = text == null ? "" : text.replaceAll("[\\x00-\\x1f\\x7f]", " ").strip();
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    /** TCP connect failed: refused, unreachable, or the source address could not be bound. */
    public static final class ConnectFailed extends SmtpClientException {
        ConnectFailed(String detail, Throwable cause) {
            super(SmtpStage.CONNECT, oneLine(detail), cause);
        }

        @Override
        public SmtpReply reply() {
            return SmtpReply.of(421, "4.4.1", "Connection failed: " + getMessage());
        }
    }

    /** The expected reply did not come in time; the connection was closed. */
    public static final class Timeout extends SmtpClientException {
        private final Duration after;

        Timeout(SmtpStage stage, Duration after) {
            super(stage, "timed out after " + after.toMillis() + " ms waiting for " + stage.label(), null);
            this.after = after;
        }

        public Duration after() {
            return after;
        }

        @Override
        public SmtpReply reply() {
            String status = stage() == SmtpStage.CONNECT ? "4.4.1" : "4.4.2";
            return SmtpReply.of(421, status, "Timed out waiting for " + stage().label());
        }
    }

    /** STARTTLS was required but not offered, or the TLS handshake failed; the connection was closed. */
    public static final class TlsFailed extends SmtpClientException {
        TlsFailed(SmtpStage stage, String detail, Throwable cause) {
            super(stage, oneLine(detail), cause);
        }

        @Override
        public SmtpReply reply() {
            return SmtpReply.of(421, "4.7.5", "TLS failed: " + getMessage());
        }
    }

    /** The connection closed or broke while a reply was outstanding (or while idle). */
    public static final class ConnectionLost extends SmtpClientException {
        ConnectionLost(SmtpStage stage, Throwable cause) {
            super(stage, "connection lost during " + stage.label(), cause);
        }

        @Override
        public SmtpReply reply() {
            return SmtpReply.of(421, "4.4.2", "Connection lost during " + stage().label());
        }
    }

    /** The server sent something that is not a well-formed reply; the connection was closed. */
    public static final class ProtocolError extends SmtpClientException {
        private final String line;

        ProtocolError(SmtpStage stage, String line, Throwable cause) {
            super(stage, "protocol error during " + stage.label() + ": " + oneLine(line), cause);
            this.line = oneLine(line);
        }

        /** The offending line (or a description), shortened and on one line. */
        public String line() {
            return line;
        }

        @Override
        public SmtpReply reply() {
            return SmtpReply.of(421, "4.5.0", "Protocol error during " + stage().label());
        }
    }

    /** The server refused the greeting, EHLO/HELO or a required STARTTLS; its reply is kept as is. */
    public static final class Rejected extends SmtpClientException {
        private final SmtpReply reply;

        Rejected(SmtpStage stage, SmtpReply reply) {
            super(stage, stage.label() + " refused: " + reply, null);
            this.reply = reply;
        }

        @Override
        public SmtpReply reply() {
            return reply;
        }
    }
}
