package io.runnel.kernel.report;

import io.runnel.api.log.LogEvent.Type;
import io.runnel.api.mail.EmailAddress;
import io.runnel.kernel.boot.Service;
import io.runnel.kernel.config.ReceptionConfig;
import io.runnel.kernel.config.ReportConfig;
import io.runnel.kernel.config.RunnelConfig;
import io.runnel.kernel.log.DeliveryLog;
import io.runnel.kernel.log.LogRecord;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.spool.SpoolId;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mail for a bounce domain or feedback address: read in-line, logged, never relayed nor spooled. An ARF report
 * becomes one Feedback record per complaining recipient; a bounce (RFC 3464 or a plain-text notice) one OOB record
 * per failed recipient, classified. The message is tied back to what we sent by its VERP address, else our Received
 * field or the Message-ID and tenant/campaign headers in the returned copy. The future completes (and the listener
 * says 250) only once the records are written.
 *
 * <p>A report that cannot be read (neither ARF nor a bounce naming a failed recipient) is accepted and logged as one
 * OOB record about the report address, category Uncategorized, {@code meta.report_status = "unparsed"}, plus a
 * warning: it is never dropped silently, and refusing it would only make the sender's MTA bounce the bounce.
 */
public final class ReportReception implements Service {

    private static final Logger log = LoggerFactory.getLogger(ReportReception.class);
    /** Parsing is CPU work off the event loop; a bounded queue keeps a flood from growing the heap. */
    private static final int THREADS = 2;
    private static final int QUEUE = 1000;

    private final ReportConfig config;
    private final ReceptionConfig reception;
    private final DeliveryLog records;
    private final SpoolId.Factory ids;
    private final Clock clock;
    private ThreadPoolExecutor parsers;

    @Inject
    public ReportReception(RunnelConfig config, DeliveryLog records, SpoolId.Factory ids, Clock clock) {
        this.config = config.reports();
        this.reception = config.reception();
        this.records = records;
        this.ids = ids;
        this.clock = clock;
    }

    /** Whether mail to {@code recipient} is read here instead of relayed. */
    public boolean isReportAddress(EmailAddress recipient) {
        return config.isReportAddress(recipient);
    }

    /**
     * Reads and logs one report sent to {@code to}. Completes with the id given to the report once its records are
     * written; exceptionally with {@link RejectedExecutionException} when too busy (the client gets a 451).
     */
    public CompletableFuture<SpoolId> receive(ReceptionFacts facts, EmailAddress sender, List<EmailAddress> to, byte[] message) {
        SpoolId id = ids.next();
        CompletableFuture<List<LogRecord>> parsed = new CompletableFuture<>();
        try {
            parsers.execute(() -> {
                try {
                    parsed.complete(records(id, facts, sender, to, message));
                } catch (RuntimeException e) {
                    parsed.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
        return parsed.thenCompose(list -> {
            list.forEach(records::appendFinal); // the 250 waits for them: never dropped
            return records.whenWritten();
        }).thenApply(written -> id);
    }

    private List<LogRecord> records(SpoolId id, ReceptionFacts facts, EmailAddress sender, List<EmailAddress> to, byte[] message) {
        Instant now = clock.instant();
        MimeParts parts = MimeParts.of(message);
        Optional<Verp.Decoded> verp = to.stream().map(this::verp).flatMap(Optional::stream).findFirst();
        Optional<ArfParser.Feedback> feedback = ArfParser.parse(parts);
        if (feedback.isPresent()) {
            return feedbackRecords(id, facts, sender, to, message.length, feedback.get(), verp, now);
        }
        BounceParser.Bounce bounce = BounceParser.parse(parts, message);
        List<FailedRecipient> failed = new ArrayList<>(bounce.recipients().stream()
                .filter(r -> r.status().map(s -> s.statusClass() != 2).orElse(true)).toList());
        if (failed.isEmpty() && verp.flatMap(Verp.Decoded::recipient).isPresent()) {
            // the text named nobody, but the VERP address did: the notice as a whole explains that recipient
            failed.add(Diagnostics.recipient(verp.get().recipient().get().toString(), bounce.explanation(), Optional.empty(),
                    Optional.empty()));
        }
        if (failed.isEmpty()) {
            return List.of(unparsed(id, facts, sender, to, message.length, parts, now));
        }
        List<LogRecord> out = new ArrayList<>();
        for (FailedRecipient r : failed) {
            LogRecord.Response response = new LogRecord.Response(r.replyCode(), r.status(), r.diagnostic(), Optional.empty());
            Optional<EmailAddress> address = address(r.recipient());
            EmailAddress recipient = address.or(() -> verp.flatMap(Verp.Decoded::recipient)).orElse(to.get(0));
            Map<String, String> meta = meta(id, bounce.returned());
            r.remoteMta().ifPresent(mta -> meta.put("remote_mta", mta));
            out.add(LogRecord.report(Type.OOB, originalId(verp, bounce.returned(), id), originalSender(bounce.returned(), sender),
                    recipient, response, facts, message.length, config.classifier().classify(response), meta,
                    bounce.returned().select(config.logHeaders()), Optional.empty(), now));
        }
        return out;
    }

    private List<LogRecord> feedbackRecords(SpoolId id, ReceptionFacts facts, EmailAddress sender, List<EmailAddress> to,
                                            long size, ArfParser.Feedback feedback, Optional<Verp.Decoded> envelopeVerp,
                                            Instant now) {
        FeedbackReport report = feedback.report();
        // the complaint's Original-Mail-From is our MAIL FROM: with VERP it names the message and recipient
        Optional<Verp.Decoded> verp = report.originalMailFrom().flatMap(this::address).flatMap(this::verp).or(() -> envelopeVerp);
        List<EmailAddress> complained = new ArrayList<>(report.originalRcptTo().stream().map(this::address)
                .flatMap(Optional::stream).toList());
        if (complained.isEmpty()) {
            complained.add(verp.flatMap(Verp.Decoded::recipient)
                    .or(() -> feedback.returned().get("to").flatMap(this::address)).orElse(to.get(0)));
        }
        EmailAddress original = report.originalMailFrom().flatMap(this::address)
                .orElse(originalSender(feedback.returned(), sender));
        LogRecord.Response response = new LogRecord.Response(250, Optional.empty(),
                "Feedback-Type: " + report.feedbackType(), Optional.empty());
        List<LogRecord> out = new ArrayList<>();
        for (EmailAddress recipient : complained) {
            out.add(LogRecord.report(Type.FEEDBACK, originalId(verp, feedback.returned(), id), original, recipient, response,
                    facts, size, BounceClassifier.UNCATEGORIZED, meta(id, feedback.returned()),
                    feedback.returned().select(config.logHeaders()), Optional.of(report), now));
        }
        return out;
    }

    private LogRecord unparsed(SpoolId id, ReceptionFacts facts, EmailAddress sender, List<EmailAddress> to, long size,
                               MimeParts parts, Instant now) {
        log.atWarn().addKeyValue("spool_id", id).addKeyValue("remote_ip", facts.peerAddress())
                .addKeyValue("content_type", parts.topType()).log("report not understood; logged as OOB, not relayed");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("report_id", id.toString());
        meta.put("report_status", "unparsed");
        return LogRecord.report(Type.OOB, id, sender, to.get(0),
                new LogRecord.Response(250, Optional.empty(), "report not understood: " + parts.topType(), Optional.empty()),
                facts, size, BounceClassifier.UNCATEGORIZED, meta, Map.of(), Optional.empty(), now);
    }

    /** Tenant, campaign and Message-ID of the original, and the report's own id. */
    private Map<String, String> meta(SpoolId reportId, ReturnedHeaders returned) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("report_id", reportId.toString());
        returned.get(reception.tenantHeader()).ifPresent(v -> meta.put("tenant", v));
        returned.get(reception.campaignHeader()).ifPresent(v -> meta.put("campaign", v));
        returned.get("message-id").ifPresent(v -> meta.put("original_message_id", v));
        return meta;
    }

    private static SpoolId originalId(Optional<Verp.Decoded> verp, ReturnedHeaders returned, SpoolId reportId) {
        return verp.map(Verp.Decoded::id).or(returned::spoolId).orElse(reportId);
    }

    private EmailAddress originalSender(ReturnedHeaders returned, EmailAddress fallback) {
        return returned.get("return-path").flatMap(this::address).orElse(fallback);
    }

    private Optional<Verp.Decoded> verp(EmailAddress address) {
        return config.verp().flatMap(v -> Verp.decode(v, address));
    }

    private Optional<EmailAddress> address(String text) {
        String t = text.strip();
        int lt = t.lastIndexOf('<');
        int gt = t.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            t = t.substring(lt + 1, gt);
        }
        try {
            return Optional.of(EmailAddress.parse(t.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public int phase() {
        return Phases.PLUGINS + 1; // up before listeners hand it mail, down after they stop
    }

    @Override
    public String name() {
        return "report-reception";
    }

    @Override
    public void start() {
        parsers = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "report-parser");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void stop(Duration grace) {
        parsers.shutdown();
        try {
            parsers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
