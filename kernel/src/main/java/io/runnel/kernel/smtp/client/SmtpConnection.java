package io.runnel.kernel.smtp.client;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.message.ReceptionFacts.TlsFacts;
import io.runnel.kernel.message.Recipient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One open, greeted SMTP session that carries one transaction at a time. Made by {@link SmtpClient#connect}.
 *
 * <p>Methods may be called from any thread; the work runs on the connection's event loop and the returned futures
 * complete there, so callers must not block in their callbacks. A future fails with an {@link SmtpClientException}
 * when the connection failed; the connection is then closed. How many messages one connection carries
 * ({@code max_deliveries_per_connection}) is the caller's decision, from {@link #deliveries()}.
 */
public final class SmtpConnection {

    /** The largest content sent as one BDAT pipelined with MAIL and RCPT. */
    static final int MAX_PIPELINED_CHUNK = 256 * 1024;

    private final Channel channel;
    private final ClientChannelHandler session;
    private final String serverName;
    private final ClientSessionConfig config;
    private final ClientTls tls;

    // Confined to the event loop.
    private SmtpReply greeting;
    private SessionFacts facts;
    private Optional<TlsFacts> tlsFacts = Optional.empty();
    private boolean busy;
    private boolean clean = true;
    private boolean quitting;
    private volatile int deliveries;
    private volatile boolean reusable;

    SmtpConnection(Channel channel, ClientChannelHandler session, String serverName, ClientSessionConfig config, ClientTls tls) {
        this.channel = channel;
        this.session = session;
        this.serverName = serverName;
        this.config = config;
        this.tls = tls;
    }

    /** What the server said while the connection opened; set before {@link SmtpClient#connect} completes. */
    public SessionFacts facts() {
        return facts;
    }

    /** Transactions that went on the wire over this connection. */
    public int deliveries() {
        return deliveries;
    }

    /** True when the connection is open, idle and in a clean state, so another message may follow. */
    public boolean isReusable() {
        return reusable && channel.isActive();
    }

    /**
     * Runs one mail transaction. Completes with the per-recipient replies, also when the server refused everything or
     * the message could not be sent to this server at all ({@link TransactionResult#sent()} false); fails with an
     * {@link SmtpClientException} when the connection failed, and with {@link IllegalStateException} when a
     * transaction is already running.
     */
    public CompletableFuture<TransactionResult> send(OutboundMessage message) {
        return onLoop(() -> transaction(message));
    }

    /** Sends QUIT, waits for the reply (or the RSET timeout) and closes. Never fails. */
    public CompletableFuture<Void> quit() {
        return onLoop(() -> {
            reusable = false;
            if (quitting || session.failure().isPresent() || !channel.isActive()) {
                return closeChannel();
            }
            quitting = true;
            return session.command("QUIT", SmtpStage.QUIT, config.timeouts().rset(), true)
                    .handle((reply, failure) -> null)
                    .thenCompose(ignored -> closeChannel());
        });
    }

    /** Closes at once, without QUIT; completes once the socket is closed. */
    public CompletableFuture<Void> close() {
        reusable = false;
        return closeChannel();
    }

    // ---- opening -------------------------------------------------------------------------------------------

    /** Greeting, EHLO (HELO fallback), STARTTLS by policy and EHLO again. Runs on the event loop. */
    CompletableFuture<SmtpConnection> open() {
        CompletableFuture<SmtpConnection> opened = session.banner()
                .thenCompose(banner -> {
                    if (banner.code() / 100 != 2) {
                        session.command("QUIT", SmtpStage.QUIT, config.timeouts().rset(), true);   // RFC 5321 3.1
                        return CompletableFuture.failedFuture(new SmtpClientException.Rejected(SmtpStage.BANNER, banner));
                    }
                    greeting = banner;
                    return hello();
                })
                .thenCompose(this::negotiateTls)
                .thenApply(hello -> {
                    facts = new SessionFacts((InetSocketAddress) channel.remoteAddress(), (InetSocketAddress) channel.localAddress(),
                            serverName, greeting, hello.reply(), hello.esmtp(), hello.extensions(), tlsFacts);
                    reusable = true;
                    return this;
                });
        return settled(opened).whenComplete((connection, failure) -> {
            if (failure != null) {
                channel.close();
            }
        });
    }

    private record Hello(SmtpReply reply, boolean esmtp, Map<String, String> extensions) {
        boolean offers(String keyword) {
            return extensions.containsKey(keyword);
        }
    }

    private CompletableFuture<Hello> hello() {
        ClientTimeouts t = config.timeouts();
        return session.command("EHLO " + config.ehloName(), SmtpStage.EHLO, t.ehlo(), true).thenCompose(ehlo -> {
            if (ehlo.code() / 100 == 2) {
                return CompletableFuture.completedFuture(new Hello(ehlo, true, extensions(ehlo)));
            }
            if (!ehlo.isPermanent()) {
                return CompletableFuture.failedFuture(new SmtpClientException.Rejected(SmtpStage.EHLO, ehlo));
            }
            // RFC 5321 3.2: a server that does not know EHLO answers 5xx; fall back to HELO, without extensions.
            return session.command("HELO " + config.ehloName(), SmtpStage.HELO, t.ehlo(), true).thenCompose(helo ->
                    helo.code() / 100 == 2
                            ? CompletableFuture.completedFuture(new Hello(helo, false, Map.of()))
                            : CompletableFuture.failedFuture(new SmtpClientException.Rejected(SmtpStage.HELO, helo)));
        });
    }

    private static Map<String, String> extensions(SmtpReply ehlo) {
        Map<String, String> keywords = new LinkedHashMap<>();
        for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {   // the first line is the server's name
            String trimmed = line.strip();
            int space = trimmed.indexOf(' ');
            String keyword = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
            if (!keyword.isEmpty()) {
                keywords.putIfAbsent(keyword, space < 0 ? "" : trimmed.substring(space + 1).strip());
            }
        }
        return keywords;
    }

    private CompletableFuture<Hello> negotiateTls(Hello hello) {
        TlsPolicy policy = config.tls();
        if (policy == TlsPolicy.DISABLED || (!hello.offers("STARTTLS") && !policy.required())) {
            return CompletableFuture.completedFuture(hello);
        }
        if (!hello.offers("STARTTLS")) {
            session.command("QUIT", SmtpStage.QUIT, config.timeouts().rset(), true);
            return CompletableFuture.failedFuture(new SmtpClientException.TlsFailed(SmtpStage.STARTTLS, "STARTTLS required but not offered", null));
        }
        return session.command("STARTTLS", SmtpStage.STARTTLS, config.timeouts().startTls(), true).thenCompose(reply -> {
            if (reply.code() != 220) {
                if (policy.required()) {
                    return CompletableFuture.failedFuture(new SmtpClientException.Rejected(SmtpStage.STARTTLS, reply));
                }
                return CompletableFuture.completedFuture(hello);   // opportunistic: the session is still usable in clear
            }
            int port = ((InetSocketAddress) channel.remoteAddress()).getPort();
            return session.startTls(tls.engine(policy, channel.alloc(), serverName, port), config.timeouts().startTls())
                    .thenCompose(established -> {
                        tlsFacts = Optional.of(established);
                        return hello();   // RFC 3207 4.2: forget what was learnt in clear
                    });
        });
    }

    // ---- transactions --------------------------------------------------------------------------------------

    private CompletableFuture<TransactionResult> transaction(OutboundMessage message) {
        if (busy) {
            return CompletableFuture.failedFuture(new IllegalStateException("a transaction is already running on this connection"));
        }
        if (session.failure().isPresent()) {
            return CompletableFuture.failedFuture(session.failure().get());
        }
        if (!channel.isActive() || quitting) {
            return CompletableFuture.failedFuture(new SmtpClientException.ConnectionLost(SmtpStage.IDLE, null));
        }
        Optional<SmtpReply> refusal = MailCommands.refusal(message, facts);
        if (refusal.isPresent()) {
            return CompletableFuture.completedFuture(TransactionResult.notSent(refusal.get()));
        }
        busy = true;
        reusable = false;
        clean = false;
        deliveries++;
        CompletableFuture<TransactionResult> result = facts.offers("PIPELINING") ? pipelined(message) : lockStep(message);
        return result.whenComplete((r, failure) -> {
            busy = false;
            reusable = failure == null && clean && !quitting && session.failure().isEmpty();
        });
    }

    /**
     * RFC 2920: MAIL, every RCPT and DATA in one write; the replies are read as they come. With CHUNKING the content
     * goes in the same write as {@code BDAT <size> LAST} (RFC 3030), which saves the round trip of the 354.
     */
    private CompletableFuture<TransactionResult> pipelined(OutboundMessage message) {
        ClientTimeouts t = config.timeouts();
        CompletableFuture<SmtpReply> mail = session.command(MailCommands.mailFrom(message, facts), SmtpStage.MAIL, t.mail(), false);
        List<CompletableFuture<SmtpReply>> rcpts = new ArrayList<>();
        for (Recipient r : message.recipients()) {
            rcpts.add(session.command(MailCommands.rcptTo(r, facts), SmtpStage.RCPT, t.rcpt(), false));
        }
        boolean chunked = chunked(message);
        CompletableFuture<SmtpReply> data = chunked
                ? session.lastChunk(message.content(), t.dataDot())
                : session.command("DATA", SmtpStage.DATA, t.data(), true);
        return mail.thenCompose(mailReply -> {
            if (mailReply.code() == 421) {
                channel.close();   // the server is closing; the replies behind this one will not come
                return CompletableFuture.completedFuture(new TransactionResult(mailReply, List.of(), Optional.empty(), true));
            }
            return CompletableFuture.allOf(rcpts.toArray(CompletableFuture[]::new))
                    .thenCompose(ignored -> data)
                    .thenCompose(dataReply -> {
                        List<SmtpReply> rcptReplies = rcpts.stream().map(CompletableFuture::join).toList();
                        return chunked
                                ? afterLastChunk(mailReply, rcptReplies, dataReply)
                                : afterData(message, mailReply, rcptReplies, dataReply);
                    });
        });
    }

    /**
     * Whether the content goes as one pipelined BDAT: offered, allowed, and small enough that sending it before the
     * RCPT replies are known wastes little when every recipient is refused (bigger messages go with DATA, which
     * sends nothing until the 354).
     */
    private boolean chunked(OutboundMessage message) {
        return config.chunking() && facts.offers("CHUNKING") && message.content().length <= MAX_PIPELINED_CHUNK;
    }

    /** One command, one reply; DATA only when a recipient was accepted. */
    private CompletableFuture<TransactionResult> lockStep(OutboundMessage message) {
        ClientTimeouts t = config.timeouts();
        return session.command(MailCommands.mailFrom(message, facts), SmtpStage.MAIL, t.mail(), true).thenCompose(mailReply -> {
            if (!mailReply.isPositive()) {
                return reset(new TransactionResult(mailReply, List.of(), Optional.empty(), true));
            }
            return recipients(message, 0, new ArrayList<>()).thenCompose(rcptReplies -> {
                if (!anyAccepted(mailReply, rcptReplies)) {
                    return reset(new TransactionResult(mailReply, rcptReplies, Optional.empty(), true));
                }
                return session.command("DATA", SmtpStage.DATA, t.data(), true)
                        .thenCompose(dataReply -> afterData(message, mailReply, rcptReplies, dataReply));
            });
        });
    }

    private CompletableFuture<List<SmtpReply>> recipients(OutboundMessage message, int index, List<SmtpReply> replies) {
        if (index == message.recipients().size()) {
            return CompletableFuture.completedFuture(replies);
        }
        String line = MailCommands.rcptTo(message.recipients().get(index), facts);
        return session.command(line, SmtpStage.RCPT, config.timeouts().rcpt(), true).thenCompose(reply -> {
            replies.add(reply);
            return recipients(message, index + 1, replies);
        });
    }

    private CompletableFuture<TransactionResult> afterData(OutboundMessage message, SmtpReply mailReply, List<SmtpReply> rcptReplies,
                                                           SmtpReply dataReply) {
        boolean anyAccepted = anyAccepted(mailReply, rcptReplies);
        if (dataReply.code() == 354 && !anyAccepted) {
            // RFC 2920 3.1: DATA was accepted although no recipient was; end it with no content.
            TransactionResult nothing = new TransactionResult(mailReply, rcptReplies, Optional.empty(), true);
            return session.content(DotStuffer.stuff(new byte[0]), config.timeouts().dataDot()).thenCompose(end -> reset(nothing));
        }
        if (dataReply.code() == 354) {
            return session.content(DotStuffer.stuff(message.content()), config.timeouts().dataDot()).thenApply(end -> {
                clean = true;   // the end-of-data reply, whatever it says, ends the transaction
                return new TransactionResult(mailReply, rcptReplies, Optional.of(end), true);
            });
        }
        return reset(new TransactionResult(mailReply, rcptReplies, anyAccepted ? Optional.of(dataReply) : Optional.empty(), true));
    }

    /**
     * The reply to BDAT LAST ends the transaction. When no recipient was accepted the server read the chunk and
     * discarded it (RFC 3030 2); a refused chunk leaves the transaction failed. Both are reset before the next.
     */
    private CompletableFuture<TransactionResult> afterLastChunk(SmtpReply mailReply, List<SmtpReply> rcptReplies, SmtpReply end) {
        boolean anyAccepted = anyAccepted(mailReply, rcptReplies);
        TransactionResult result = new TransactionResult(mailReply, rcptReplies, anyAccepted ? Optional.of(end) : Optional.empty(), true);
        if (anyAccepted && end.isPositive()) {
            clean = true;
            return CompletableFuture.completedFuture(result);
        }
        return reset(result);
    }

    private static boolean anyAccepted(SmtpReply mailReply, List<SmtpReply> rcptReplies) {
        return mailReply.isPositive() && rcptReplies.stream().anyMatch(SmtpReply::isPositive);
    }

    /** RSET after a transaction that did not reach the end of data; a failed RSET only costs the connection. */
    private CompletableFuture<TransactionResult> reset(TransactionResult result) {
        return session.command("RSET", SmtpStage.RSET, config.timeouts().rset(), true).handle((reply, failure) -> {
            clean = failure == null && reply.code() / 100 == 2;
            if (!clean) {
                channel.close();
            }
            return result;
        });
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> work) {
        EventExecutor loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            return settled(guarded(work));
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        loop.execute(() -> settled(guarded(work)).whenComplete((value, failure) -> {
            if (failure != null) {
                out.completeExceptionally(failure);
            } else {
                out.complete(value);
            }
        }));
        return out;
    }

    private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {   // a bug must reach the caller, not vanish in the event loop
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> closeChannel() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.close().addListener(f -> closed.complete(null));
        return closed;
    }

    /** Callers get the {@link SmtpClientException} itself, not the {@link CompletionException} around it. */
    static <T> CompletableFuture<T> settled(CompletableFuture<T> future) {
        CompletableFuture<T> out = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure == null) {
                out.complete(value);
            } else {
                out.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
            }
        });
        return out;
    }
}
