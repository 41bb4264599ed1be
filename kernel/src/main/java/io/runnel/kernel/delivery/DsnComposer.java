package io.runnel.kernel.delivery;

import static io.runnel.kernel.delivery.MimeText.CRLF;
import static io.runnel.kernel.delivery.MimeText.ascii;
import static io.runnel.kernel.delivery.MimeText.date;
import static io.runnel.kernel.delivery.MimeText.field;
import static io.runnel.kernel.delivery.MimeText.noControls;

import io.runnel.api.mail.Ascii;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.delivery.RecipientReport.Action;
import io.runnel.kernel.delivery.RecipientReport.Diagnostic;
import io.runnel.kernel.message.MailParameters;
import io.runnel.kernel.message.MailParameters.BodyType;
import io.runnel.kernel.message.MailParameters.DsnReturn;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.Recipient.DsnNotify;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes RFC 3464 delivery status notifications for failed and delayed recipients (Postfix bounce/defer).
 *
 * <p>Who gets one: never the null sender, and per recipient only when its NOTIFY asks for this kind of report
 * (RFC 3461 4.1; no NOTIFY means FAILURE,DELAY).
 *
 * <p>What comes back (RFC 3461 4.3): RET=HDRS returns the headers; RET=FULL the whole message; without RET, which
 * RFC 3461 leaves to the MTA, the whole message up to {@code fullReturnLimit} octets and the headers beyond, as
 * Postfix does with bounce_size_limit. RET applies to failures only, so a delay notice always carries headers.
 *
 * <p>Limits: addresses that need UTF-8 are written as UTF-8 and the envelope asks for SMTPUTF8, but the parts stay
 * message/delivery-status and message/rfc822 (the RFC 6533 global types are not written yet).
 */
public final class DsnComposer {

    /** The default cap on returning a whole message when the sender gave no RET. */
    public static final long DEFAULT_FULL_RETURN_LIMIT = 100 * 1024;

    private final Clock clock;
    private final long fullReturnLimit;

    /** @param fullReturnLimit largest message returned whole when the sender gave no RET; larger ones return headers */
    public DsnComposer(Clock clock, long fullReturnLimit) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (fullReturnLimit < 0) {
            throw new IllegalArgumentException("fullReturnLimit must be >= 0");
        }
        this.fullReturnLimit = fullReturnLimit;
    }

    /**
     * A DSN reporting {@code reports} on {@code original}, or empty when nobody is to get one: the sender is
     * {@code <>}, or no reported recipient's NOTIFY asks for its kind of report.
     *
     * @param originalMessage the message as stored, Received header included
     * @param reportingMta    this host's name, for Reporting-MTA, From and Message-ID
     */
    public Optional<ComposedDsn> compose(MessageMeta original, byte[] originalMessage, String reportingMta,
                                         List<RecipientReport> reports) {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(originalMessage, "originalMessage");
        String host = ascii(Objects.requireNonNull(reportingMta, "reportingMta")).replace(" ", "");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("reportingMta must be a host name");
        }
        if (original.sender().isNullSender()) {
            return Optional.empty();
        }
        List<RecipientReport> wanted = reports.stream().filter(DsnComposer::notifyWants).toList();
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        boolean failed = wanted.stream().anyMatch(r -> r.action() == Action.FAILED);
        Instant now = clock.instant();

        Part text = Part.text("Notification", humanText(host, wanted));
        Part status = Part.text("Delivery report", deliveryStatus(original, host, wanted)).as("message/delivery-status");
        Part returned = returnedPart(original, originalMessage, failed);
        String boundary = boundary(original, now, text, status, returned);
        boolean eightBit = text.eightBit() || status.eightBit() || returned.eightBit() || !original.sender().isAscii();

        StringBuilder head = new StringBuilder(1024);
        head.append(field("Date", date(now)));
        head.append(field("From", "\"Mail Delivery System\" <MAILER-DAEMON@" + host + ">"));
        head.append(field("To", "<" + noControls(original.sender().toString()) + ">"));
        head.append(field("Subject", failed ? "Undelivered Mail Returned to Sender" : "Delayed Mail (still being retried)"));
        head.append(field("Message-ID", "<" + original.id() + "." + now.toEpochMilli() + (failed ? ".failed" : ".delayed")
                + "@" + host + ">"));
        head.append(field("Auto-Submitted", "auto-replied"));
        head.append(field("MIME-Version", "1.0"));
        head.append(field("Content-Type", "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\""));
        head.append(field("Content-Transfer-Encoding", eightBit ? "8bit" : "7bit"));
        head.append(CRLF).append("This is a MIME-encapsulated message.").append(CRLF);

        ByteArrayOutputStream out = new ByteArrayOutputStream(returned.body().length + 4096);
        out.writeBytes(utf8(head));
        for (Part part : List.of(text, status, returned)) {
            out.writeBytes(utf8(CRLF + "--" + boundary + CRLF));
            part.writeTo(out);
        }
        out.writeBytes(utf8(CRLF + "--" + boundary + "--" + CRLF));

        MailParameters envelope = new MailParameters(eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT,
                !original.sender().isAscii(), Optional.empty(), Optional.empty());
        List<EmailAddress> reported = wanted.stream().map(r -> r.recipient().address()).toList();
        return Optional.of(new ComposedDsn(original.sender(), envelope, reported, out.toByteArray()));
    }

    private static boolean notifyWants(RecipientReport report) {
        var notify = report.recipient().notifyOn();
        if (notify.isEmpty()) {
            return true; // RFC 3461 4.1: no NOTIFY is FAILURE,DELAY; NEVER never combines with others
        }
        return notify.contains(report.action() == Action.FAILED ? DsnNotify.FAILURE : DsnNotify.DELAY);
    }

    private Part returnedPart(MessageMeta original, byte[] message, boolean failed) {
        Optional<DsnReturn> ret = original.parameters().ret();
        boolean full = failed && (ret.equals(Optional.of(DsnReturn.FULL))
                || (ret.isEmpty() && message.length <= fullReturnLimit));
        if (full) {
            return new Part("Undelivered Message", "message/rfc822", message);
        }
        return new Part(failed ? "Undelivered Message Headers" : "Delayed Message Headers", "text/rfc822-headers",
                headerBlock(message));
    }

    /** The header section including its last CRLF, without the empty line and body. */
    static byte[] headerBlock(byte[] message) {
        for (int i = 0; i + 1 < message.length; i++) {
            if (message[i] == '\n' && (message[i + 1] == '\n' || (message[i + 1] == '\r' && i + 2 < message.length
                    && message[i + 2] == '\n'))) {
                return Arrays.copyOf(message, i + 1);
            }
        }
        if (message.length >= 2 && message[0] == '\r' && message[1] == '\n') {
            return new byte[0]; // no headers at all
        }
        return message;
    }

    private static String humanText(String host, List<RecipientReport> reports) {
        StringBuilder out = new StringBuilder(512);
        out.append("This is the mail system at host ").append(host).append('.').append(CRLF).append(CRLF);
        if (reports.stream().anyMatch(r -> r.action() == Action.FAILED)) {
            out.append("Your message could not be delivered to the recipients marked \"failed\" below;").append(CRLF)
                    .append("nothing more will be tried for them.").append(CRLF);
        }
        if (reports.stream().anyMatch(r -> r.action() == Action.DELAYED)) {
            out.append("Your message has not yet been delivered to the recipients marked \"delayed\" below.").append(CRLF)
                    .append("Delivery is still being tried; you do not need to send it again.").append(CRLF);
        }
        out.append(CRLF).append("For help, write to postmaster and include this report.").append(CRLF);
        for (RecipientReport r : reports) {
            out.append(CRLF).append('<').append(noControls(r.recipient().address().toString())).append(">: ")
                    .append(r.action().field()).append(" (").append(r.status()).append(')').append(CRLF);
            if (r.diagnostic() instanceof Diagnostic.Remote remote) {
                out.append("    host ").append(r.remoteMta().map(MimeText::ascii).orElse("(unknown)")).append(" said:")
                        .append(CRLF);
                SmtpReply reply = remote.reply();
                String prefix = reply.code() + reply.enhancedStatus().map(status -> " " + status).orElse("") + " ";
                for (String line : reply.lines()) {
                    out.append(MimeText.wrap("    ", prefix + ascii(line)));
                }
            } else if (r.diagnostic() instanceof Diagnostic.Local local) {
                out.append(MimeText.wrap("    ", ascii(local.text())));
            } else {
                throw new IllegalStateException("unhandled diagnostic " + r.diagnostic());
            }
            r.willRetryUntil().ifPresent(until -> out.append("    will be retried until ").append(date(until)).append(CRLF));
        }
        return out.toString();
    }

    private static String deliveryStatus(MessageMeta original, String host, List<RecipientReport> reports) {
        StringBuilder out = new StringBuilder(512);
        original.parameters().envelopeId().ifPresent(id -> out.append(field("Original-Envelope-Id", ascii(id))));
        out.append(field("Reporting-MTA", "dns; " + host));
        out.append(field("X-Runnel-Queue-ID", original.id().toString()));
        out.append(field("Received-From-MTA", "dns; " + ascii(original.reception().helo()).replace(" ", "")));
        out.append(field("Arrival-Date", date(original.receivedAt())));
        for (RecipientReport r : reports) {
            out.append(CRLF);
            r.recipient().originalRecipient().ifPresent(orcpt -> out.append(field("Original-Recipient", ascii(orcpt))));
            out.append(field("Final-Recipient", "rfc822; " + noControls(r.recipient().address().toString())));
            out.append(field("Action", r.action().field()));
            out.append(field("Status", r.status().toString()));
            r.remoteMta().ifPresent(mta -> out.append(field("Remote-MTA", "dns; " + ascii(mta))));
            out.append(field("Diagnostic-Code", diagnosticCode(r.diagnostic())));
            r.lastAttempt().ifPresent(at -> out.append(field("Last-Attempt-Date", date(at))));
            r.willRetryUntil().ifPresent(until -> out.append(field("Will-Retry-Until", date(until))));
        }
        return out.toString();
    }

    private static String diagnosticCode(Diagnostic diagnostic) {
        if (diagnostic instanceof Diagnostic.Remote remote) {
            SmtpReply reply = remote.reply();
            StringBuilder text = new StringBuilder("smtp; ").append(reply.code());
            reply.enhancedStatus().ifPresent(status -> text.append(' ').append(status));
            reply.lines().forEach(line -> text.append(' ').append(ascii(line)));
            return text.toString();
        }
        if (diagnostic instanceof Diagnostic.Local local) {
            return "X-Runnel; " + ascii(local.text());
        }
        throw new IllegalStateException("unhandled diagnostic " + diagnostic);
    }

    /** A boundary that occurs in none of the parts; the spool id makes a clash all but impossible, the check sure. */
    private static String boundary(MessageMeta original, Instant now, Part... parts) {
        String boundary = "=_runnel_" + original.id() + "_" + now.toEpochMilli();
        while (anyContains(parts, boundary)) {
            boundary += "_";
        }
        return boundary;
    }

    private static boolean anyContains(Part[] parts, String text) {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        for (Part part : parts) {
            byte[] hay = part.body();
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static byte[] utf8(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One body part of the report. */
    private record Part(String description, String contentType, byte[] body) {

        static Part text(String description, String text) {
            boolean ascii = Ascii.isAscii(text);
            return new Part(description, "text/plain; charset=" + (ascii ? "us-ascii" : "utf-8"), utf8(text));
        }

        Part as(String type) {
            return new Part(description, type, body);
        }

        boolean eightBit() {
            for (byte b : body) {
                if (b < 0) {
                    return true;
                }
            }
            return false;
        }

        void writeTo(ByteArrayOutputStream out) {
            StringBuilder head = new StringBuilder(128);
            head.append(field("Content-Description", description));
            head.append(field("Content-Type", contentType));
            if (eightBit()) {
                head.append(field("Content-Transfer-Encoding", "8bit"));
            }
            out.writeBytes(utf8(head.append(CRLF)));
            out.writeBytes(body);
        }
    }
}
