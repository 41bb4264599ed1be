package io.runnel.kernel.log;

import io.runnel.api.log.LogEvent.Type;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.EnhancedStatus;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.MessageMeta;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.ReceptionFacts.TlsFacts;
import io.runnel.kernel.report.FeedbackReport;
import io.runnel.kernel.spool.SpoolId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One event in a message's life, written as one JSON line with KumoMTA's field names (kumo-log-types
 * {@code JsonLogRecord}) so existing mailops tooling reads it; see {@link LogRecordJson} for the exact shape.
 *
 * @param type                 what happened
 * @param id                   the message's spool id
 * @param sender               the reverse path; {@code <>} is written as {@code ""}
 * @param recipient            the recipient this record is about; absent for events before RCPT (a refused MAIL)
 * @param queue                the scheduled queue, {@code campaign:tenant@domain}; empty when not routed yet
 * @param site                 the egress site (MX rollup); empty when no delivery was tried
 * @param size                 message size in octets
 * @param response             the reply that decided this event: received, sent, or made up locally
 * @param peerAddress          the other side: the client for receptions, the remote MX for deliveries
 * @param timestamp            when it happened; written as Unix seconds
 * @param created              when the message was received; written as Unix seconds
 * @param numAttempts          delivery attempts so far, this one included
 * @param bounceClassification bounce category of Bounce, TransientFailure, Expiration and OOB records (the
 *                             {@code [log] bounce_rules}); "Uncategorized" for the other types
 * @param egressPool           the egress pool used, when one was
 * @param egressSource         the egress source used, when one was
 * @param meta                 message metadata: the injection metadata, tenant and campaign (which win over
 *                             injected keys of the same name), written in key order
 * @param headers              the message's header fields that {@code [log] headers} names
 * @param deliveryProtocol     "ESMTP" for outbound events, absent for receptions and rejections
 * @param receptionProtocol    how the message came in (RFC 3848 keyword)
 * @param tls                  protocol and cipher of the session this record is about, when encrypted
 * @param feedbackReport       the parsed ARF report of a Feedback record
 */
public record LogRecord(
        Type type,
        SpoolId id,
        EmailAddress sender,
        Optional<EmailAddress> recipient,
        String queue,
        String site,
        long size,
        Response response,
        Optional<PeerAddress> peerAddress,
        Instant timestamp,
        Instant created,
        int numAttempts,
        String bounceClassification,
        Optional<String> egressPool,
        Optional<String> egressSource,
        Map<String, String> meta,
        Map<String, String> headers,
        Optional<String> deliveryProtocol,
        Optional<String> receptionProtocol,
        Optional<TlsFacts> tls,
        Optional<FeedbackReport> feedbackReport) {

    /** What records without a classification say, as KumoMTA does without rules. */
    public static final String UNCATEGORIZED = "Uncategorized";

    public LogRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(bounceClassification, "bounceClassification");
        Objects.requireNonNull(egressPool, "egressPool");
        Objects.requireNonNull(egressSource, "egressSource");
        meta = Collections.unmodifiableMap(new TreeMap<>(meta));
        headers = Collections.unmodifiableMap(new TreeMap<>(headers));
        Objects.requireNonNull(deliveryProtocol, "deliveryProtocol");
        Objects.requireNonNull(receptionProtocol, "receptionProtocol");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(feedbackReport, "feedbackReport");
        if (size < 0 || numAttempts < 0) {
            throw new IllegalArgumentException("size and numAttempts must be >= 0");
        }
    }

    /** A message accepted for one recipient: the 250 we sent, the client as peer. */
    public static LogRecord reception(MessageMeta message, EmailAddress recipient, String queue) {
        return new LogRecord(Type.RECEPTION, message.id(), message.sender(), Optional.of(recipient), queue, "",
                message.bodySize(), Response.ACCEPTED, Optional.of(new PeerAddress(message.reception().helo(),
                message.reception().peerAddress())), message.receivedAt(), message.receivedAt(), 0, UNCATEGORIZED,
                Optional.empty(), Optional.empty(), meta(message), message.logHeaders(), Optional.empty(),
                Optional.of(message.reception().protocol()), message.reception().tls(), Optional.empty());
    }

    /** This record with {@code extra} added to its {@code meta} (scan verdicts, for example). */
    public LogRecord withMeta(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(meta);
        merged.putAll(extra);
        return new LogRecord(type, id, sender, recipient, queue, site, size, response, peerAddress, timestamp, created,
                numAttempts, bounceClassification, egressPool, egressSource, merged, headers, deliveryProtocol,
                receptionProtocol, tls, feedbackReport);
    }

    /** A message our listener refused after its data (a virus, spam): {@code id} names the refused message. */
    public static LogRecord rejection(SpoolId id, EmailAddress sender, EmailAddress recipient, ReceptionFacts from,
                                      long size, SmtpReply reply, Map<String, String> meta, Instant at) {
        return new LogRecord(Type.REJECTION, id, sender, Optional.of(recipient), "", "", size,
                Response.of(reply, Optional.of("DATA")), Optional.of(new PeerAddress(from.helo(), from.peerAddress())),
                at, at, 0, UNCATEGORIZED, Optional.empty(), Optional.empty(), meta, Map.of(), Optional.empty(),
                Optional.of(from.protocol()), from.tls(), Optional.empty());
    }

    /** This record with its bounce classification. */
    public LogRecord withBounceClassification(String category) {
        return new LogRecord(type, id, sender, recipient, queue, site, size, response, peerAddress, timestamp, created,
                numAttempts, category, egressPool, egressSource, meta, headers, deliveryProtocol, receptionProtocol, tls,
                feedbackReport);
    }

    /**
     * A report that came in for a bounce domain or feedback address, about one recipient of a message we sent: an
     * OOB bounce, or a Feedback complaint (then {@code feedback} is the ARF report).
     *
     * @param id        the original message's spool id when the report names it (VERP, our Received field), else
     *                  the id given to the report itself
     * @param sender    the original message's sender when known, else the report's envelope sender
     * @param recipient the recipient the report is about
     * @param response  the failure as the report gives it (Feedback: a made-up 250 with the feedback type)
     * @param from      the session that brought the report
     * @param size      the report's size in octets
     */
    public static LogRecord report(Type type, SpoolId id, EmailAddress sender, EmailAddress recipient, Response response,
                                   ReceptionFacts from, long size, String category, Map<String, String> meta,
                                   Map<String, String> headers, Optional<FeedbackReport> feedback, Instant at) {
        if (type != Type.OOB && type != Type.FEEDBACK) {
            throw new IllegalArgumentException(type + " is not a report");
        }
        return new LogRecord(type, id, sender, Optional.of(recipient), "", "", size, response,
                Optional.of(new PeerAddress(from.helo(), from.peerAddress())), at, at, 0, category, Optional.empty(),
                Optional.empty(), meta, headers, Optional.empty(), Optional.of(from.protocol()), from.tls(), feedback);
    }

    /** This record with the egress pool and source the attempt used. */
    public LogRecord withEgress(Optional<String> pool, Optional<String> source) {
        return new LogRecord(type, id, sender, recipient, queue, site, size, response, peerAddress, timestamp, created,
                numAttempts, bounceClassification, pool, source, meta, headers, deliveryProtocol, receptionProtocol, tls,
                feedbackReport);
    }

    /**
     * The outcome of an attempt (or of a local decision such as expiry) for one recipient.
     *
     * @param tls the outbound session's TLS, when it had one
     */
    public static LogRecord outcome(Type type, MessageMeta message, EmailAddress recipient, String queue, String site,
                                    Response response, Optional<PeerAddress> peer, Optional<TlsFacts> tls, Instant at) {
        if (type == Type.RECEPTION || type == Type.REJECTION) {
            throw new IllegalArgumentException(type + " is not a delivery outcome");
        }
        return new LogRecord(type, message.id(), message.sender(), Optional.of(recipient), queue, site, message.bodySize(),
                response, peer, at, message.receivedAt(), message.attempts(), UNCATEGORIZED, Optional.empty(),
                Optional.empty(), meta(message), message.logHeaders(), Optional.of("ESMTP"),
                Optional.of(message.reception().protocol()), tls, Optional.empty());
    }

    private static Map<String, String> meta(MessageMeta message) {
        Map<String, String> meta = new LinkedHashMap<>(message.metadata());
        message.tenant().ifPresent(tenant -> meta.put("tenant", tenant));
        message.campaign().ifPresent(campaign -> meta.put("campaign", campaign));
        return meta;
    }

    /**
     * An SMTP reply as logged.
     *
     * @param content the reply text, lines joined by a space
     * @param command the command the reply answered (e.g. {@code "RCPT TO:<a@b>"}), when known
     */
    public record Response(int code, Optional<EnhancedStatus> enhancedCode, String content, Optional<String> command) {

        /** What a reception logs: KumoMTA writes a bare 250 with empty content. */
        public static final Response ACCEPTED = new Response(250, Optional.empty(), "", Optional.empty());

        public Response {
            if (code < 200 || code > 599) {
                throw new IllegalArgumentException("reply code out of range: " + code);
            }
            Objects.requireNonNull(enhancedCode, "enhancedCode");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(command, "command");
        }

        public static Response of(SmtpReply reply, Optional<String> command) {
            return new Response(reply.code(), reply.enhancedStatus(), String.join(" ", reply.lines()), command);
        }
    }

    /**
     * The other end of a session.
     *
     * @param name the host name (the client's HELO, or the MX name)
     * @param addr the IP address, as text
     */
    public record PeerAddress(String name, String addr) {
        public PeerAddress {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(addr, "addr");
        }
    }
}
