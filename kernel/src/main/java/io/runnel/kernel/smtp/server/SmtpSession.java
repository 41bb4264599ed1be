package io.runnel.kernel.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.runnel.api.mail.EmailAddress;
import io.runnel.api.smtp.SmtpReply;
import io.runnel.kernel.anvil.ClientKey;
import io.runnel.kernel.auth.CredentialVerifier;
import io.runnel.kernel.config.ListenerConfig;
import io.runnel.kernel.config.ListenerConfig.BareLineEndings;
import io.runnel.kernel.config.ListenerConfig.TlsMode;
import io.runnel.kernel.ingest.Reception;
import io.runnel.kernel.message.ReceptionFacts;
import io.runnel.kernel.message.ReceptionFacts.TlsFacts;
import io.runnel.kernel.message.Recipient;
import io.runnel.kernel.smtp.server.SmtpFramer.ChunkEnd;
import io.runnel.kernel.smtp.server.SmtpFramer.CommandLine;
import io.runnel.kernel.smtp.server.SmtpFramer.DataEnd;
import io.runnel.kernel.trace.SessionEvent;
import io.runnel.kernel.trace.SessionTrace;
import io.runnel.kernel.trace.SessionTracer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ESMTP state machine of one connection (RFC 5321 with PIPELINING, SIZE, 8BITMIME, SMTPUTF8,
 * ENHANCEDSTATUSCODES, CHUNKING, DSN, STARTTLS, AUTH). Runs on the channel's event loop and never blocks it: spool
 * commits and password checks complete futures, and until they do the framer is paused, so pipelined commands wait
 * their turn and replies stay in order.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

    private final ListenerContext context;
    private final ListenerConfig config;
    private final SmtpFramer framer;
    private ChannelHandlerContext ctx;
    private InetSocketAddress peer;
    private boolean relayAllowed;
    private ClientKey client;
    private boolean exempt;
    private int junkCommands;
    /** When message content started to arrive (DATA or the first BDAT), and how much has come since. */
    private Optional<Instant> contentStart = Optional.empty();
    private long contentOctets;

    private Optional<String> helo = Optional.empty();
    private boolean esmtp;
    private Optional<TlsFacts> tls = Optional.empty();
    private Optional<String> authIdentity = Optional.empty();
    private Optional<SaslExchange> sasl = Optional.empty();
    private Optional<Transaction> transaction = Optional.empty();
    private MessageBody body;
    private boolean chunking;
    private boolean lastChunk;
    private Optional<SmtpReply> chunkRefusal = Optional.empty();
    private int errors;
    private ReplySequencer replies;
    private int messagesInFlight;
    private boolean awaiting;
    private boolean paused;
    private boolean closing;
    private final SessionTrace trace;

    /**
     * Messages a pipelining client may have waiting for their spool commit at once. More in flight means more
     * messages per commit; the cap bounds the memory one session can hold.
     */
    static final int MAX_MESSAGES_IN_FLIGHT = 32;

    SmtpSession(ListenerContext context, SmtpFramer framer) {
        this.context = context;
        this.trace = new SessionTrace(context.tracer(), SessionEvent.Direction.INBOUND);
        this.config = context.listener();
        this.framer = framer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.trace.attach(ctx.channel());
        this.replies = new ReplySequencer(ctx, reply -> {
            if (trace.active()) {
                trace.emit(SessionEvent.Kind.REPLY, reply.toString());
            }
        });
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.CONNECTED, "");
        }
        this.peer = (InetSocketAddress) ctx.channel().remoteAddress();
        this.relayAllowed = context.relayAllowed(peer.getAddress());
        this.client = context.anvil().key(peer.getAddress());
        this.exempt = context.anvil().exempt(peer.getAddress());
        SslHandler implicitTls = ctx.pipeline().get(SslHandler.class);
        if (implicitTls != null) {
            implicitTls.handshakeFuture().addListener(done -> {
                if (done.isSuccess()) {
                    tls = Optional.of(tlsFacts(implicitTls.engine().getSession()));
                    traceTls();
                }
            });
        }
        long delay = config.limits().greetingDelay().toMillis();
        if (delay == 0) {
            greet();
        } else {
            ctx.executor().schedule(this::greet, delay, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    private void greet() {
        EarlyTalkerGuard guard = ctx.pipeline().get(EarlyTalkerGuard.class);
        if (!ctx.channel().isActive() || closing || guard == null || guard.caughtEarlyTalker()) {
            return;
        }
        ctx.pipeline().remove(guard);
        SmtpReply greeting = SmtpReply.of(220, config.hostname() + " " + config.banner());
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.REPLY, greeting.toString());
        }
        ctx.writeAndFlush(greeting);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg); // the 421 is on its way: nothing more is read
            return;
        }
        if (msg instanceof ByteBuf content) {
            if (contentTooSlow(content.readableBytes())) {
                content.release();
                resetTransaction();
                closeWith(SmtpReplies.dataTimeout(config.hostname()));
            } else if (body != null) {
                body.append(content);
            } else {
                content.release(); // a refused BDAT chunk: read and dropped
            }
        } else if (msg instanceof CommandLine line) {
            onLine(line);
        } else if (msg instanceof DataEnd end) {
            onDataEnd(end);
        } else if (msg instanceof ChunkEnd) {
            onChunkEnd();
        } else {
            throw new IllegalStateException("unexpected inbound " + msg.getClass());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && !awaiting && !replies.hasPending()) {
            closeWith(SmtpReplies.idleTimeout(config.hostname()));
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.CLOSED, "");
        }
        discardBody();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.atDebug().addKeyValue("remote_ip", peerAddress()).setCause(cause).log("session failed; closing");
        ctx.close();
    }

    private void onLine(CommandLine line) {
        if (closing) {
            return;
        }
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.COMMAND, SessionTracer.maskCommand(line.text(), sasl.isPresent()));
        }
        if (line.tooLong()) {
            sasl = Optional.empty();
            error(SmtpReplies.LINE_TOO_LONG);
        } else if (line.bareLf()) {
            sasl = Optional.empty();
            error(SmtpReplies.BARE_LF_IN_COMMAND);
        } else if (sasl.isPresent()) {
            onSaslStep(sasl.get().respond(line.text()));
        } else {
            dispatch(SmtpCommandParser.parse(line.text()));
        }
    }

    private void dispatch(SmtpCommand command) {
        if (isJunk(command) && ++junkCommands > config.limits().maxJunkCommands()) {
            closeWith(SmtpReplies.tooManyCommands(config.hostname()));
        } else if (command instanceof SmtpCommand.Ehlo c) {
            onHello(c.domain(), true);
        } else if (command instanceof SmtpCommand.Helo c) {
            onHello(c.domain(), false);
        } else if (command instanceof SmtpCommand.Mail c) {
            onMail(c);
        } else if (command instanceof SmtpCommand.Rcpt c) {
            onRcpt(c);
        } else if (command instanceof SmtpCommand.Data) {
            onData();
        } else if (command instanceof SmtpCommand.Bdat c) {
            onBdat(c);
        } else if (command instanceof SmtpCommand.Rset) {
            resetTransaction();
            reply(SmtpReplies.OK);
        } else if (command instanceof SmtpCommand.Noop) {
            reply(SmtpReplies.OK);
        } else if (command instanceof SmtpCommand.Quit) {
            closeWith(SmtpReplies.closing(config.hostname()));
        } else if (command instanceof SmtpCommand.Vrfy) {
            reply(SmtpReplies.VRFY);
        } else if (command instanceof SmtpCommand.Help) {
            reply(SmtpReplies.HELP);
        } else if (command instanceof SmtpCommand.StartTls) {
            onStartTls();
        } else if (command instanceof SmtpCommand.Auth c) {
            onAuth(c);
        } else if (command instanceof SmtpCommand.Invalid c) {
            error(c.reply());
        } else {
            throw new IllegalStateException("unhandled command " + command);
        }
    }

    /** Commands that move no mail forward (Postfix smtpd_junk_command_limit, plus HELO and EHLO). */
    private static boolean isJunk(SmtpCommand command) {
        return command instanceof SmtpCommand.Noop || command instanceof SmtpCommand.Rset || command instanceof SmtpCommand.Vrfy
                || command instanceof SmtpCommand.Help || command instanceof SmtpCommand.Ehlo || command instanceof SmtpCommand.Helo;
    }

    /**
     * Counts {@code octets} of content; true when content has taken longer than the idle timeout plus one second per
     * min_data_rate octets (Postfix smtpd_min_data_rate), so one byte at a time cannot hold the session for ever.
     */
    private boolean contentTooSlow(int octets) {
        if (contentStart.isEmpty()) {
            return false;
        }
        contentOctets += octets;
        Duration allowed = config.limits().idleTimeout()
                .plusMillis((long) (contentOctets * 1000.0 / config.limits().minDataRate()));
        return context.clock().instant().isAfter(contentStart.get().plus(allowed));
    }

    private void startContent() {
        if (contentStart.isEmpty()) {
            contentStart = Optional.of(context.clock().instant());
            contentOctets = 0;
        }
    }

    /** Message and recipient rates apply to clients outside the exceptions that have not authenticated. */
    private boolean rateLimited() {
        return !exempt && authIdentity.isEmpty();
    }

    private void onHello(String domain, boolean extended) {
        resetTransaction();
        helo = Optional.of(domain);
        trace.domain(domain);
        esmtp = extended;
        String first = config.hostname() + " Hello " + domain + " [" + peerAddress() + "]";
        if (!extended) {
            reply(SmtpReply.of(250, first));
            return;
        }
        List<String> lines = new ArrayList<>(List.of(first, "PIPELINING", "SIZE " + config.limits().maxMessageSize(),
                "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN"));
        if (config.tls() == TlsMode.STARTTLS && context.tls().isPresent() && tls.isEmpty()) {
            lines.add("STARTTLS");
        }
        if (context.authOffered() && tls.isPresent() && authIdentity.isEmpty()) {
            lines.add("AUTH PLAIN LOGIN");
        }
        reply(new SmtpReply(250, Optional.empty(), lines));
    }

    private void onMail(SmtpCommand.Mail mail) {
        if (helo.isEmpty()) {
            error(SmtpReplies.SEND_HELO_FIRST);
            return;
        }
        if (transaction.isPresent()) {
            error(SmtpReplies.NESTED_MAIL);
            return;
        }
        if (!esmtp && !mail.parameters().isEmpty()) {
            error(SmtpReplies.PARAMETERS_NEED_EHLO);
            return;
        }
        EsmtpParameters.MailResult result = EsmtpParameters.mail(mail.parameters());
        if (result instanceof EsmtpParameters.MailResult.Refused refused) {
            error(refused.reply());
            return;
        }
        EsmtpParameters.MailResult.Accepted accepted = (EsmtpParameters.MailResult.Accepted) result;
        if (accepted.declaredSize().orElse(0) > config.limits().maxMessageSize()) {
            error(SmtpReplies.MESSAGE_TOO_BIG);
            return;
        }
        if (!mail.sender().isAscii() && !accepted.parameters().smtpUtf8()) {
            error(SmtpReplies.NEEDS_SMTPUTF8);
            return;
        }
        if (rateLimited() && !context.anvil().messageAllowed(client, context.clock().instant())) {
            error(SmtpReplies.tooMuchMail(client));
            return;
        }
        if (!context.room().fits(accepted.declaredSize().orElse(0))) {
            // not the client's mistake: a plain reply, so a client that keeps trying is not disconnected for it
            context.metrics().rejected(SmtpReplies.STORAGE_FULL);
            reply(SmtpReplies.STORAGE_FULL);
            return;
        }
        transaction = Optional.of(Transaction.begin(mail.sender(), accepted.parameters()));
        reply(SmtpReplies.SENDER_OK);
    }

    private void onRcpt(SmtpCommand.Rcpt rcpt) {
        if (transaction.isEmpty()) {
            error(SmtpReplies.NEED_MAIL);
            return;
        }
        Transaction tx = transaction.get();
        if (tx.recipients().size() >= config.limits().maxRecipients()) {
            error(SmtpReplies.TOO_MANY_RECIPIENTS);
            return;
        }
        if (!esmtp && !rcpt.parameters().isEmpty()) {
            error(SmtpReplies.PARAMETERS_NEED_EHLO);
            return;
        }
        EsmtpParameters.RcptResult result = EsmtpParameters.rcpt(rcpt.parameters());
        if (result instanceof EsmtpParameters.RcptResult.Refused refused) {
            error(refused.reply());
            return;
        }
        EsmtpParameters.RcptResult.Accepted accepted = (EsmtpParameters.RcptResult.Accepted) result;
        EmailAddress recipient = rcpt.recipient();
        if (!recipient.isAscii() && !tx.parameters().smtpUtf8()) {
            error(SmtpReplies.NEEDS_SMTPUTF8);
            return;
        }
        if (!relayAllowed && authIdentity.isEmpty() && !context.acceptsWithoutRelay(recipient)) {
            error(SmtpReplies.RELAY_DENIED);
            return;
        }
        if (rateLimited() && !context.anvil().recipientAllowed(client, context.clock().instant())) {
            error(SmtpReplies.tooManyRecipientsFrom(client));
            return;
        }
        transaction = Optional.of(tx.withRecipient(Recipient.pending(recipient, accepted.notifyOn(), accepted.originalRecipient())));
        reply(SmtpReplies.RECIPIENT_OK);
    }

    private void onData() {
        if (transaction.isEmpty()) {
            error(SmtpReplies.NEED_MAIL);
        } else if (chunking) {
            error(SmtpReplies.DATA_AFTER_BDAT);
        } else if (transaction.get().recipients().isEmpty()) {
            error(SmtpReplies.NEED_RCPT);
        } else {
            body = new MessageBody(ctx.alloc(), config.limits().maxMessageSize());
            startContent();
            framer.expectData();
            reply(SmtpReplies.START_DATA);
        }
    }

    private void onDataEnd(DataEnd end) {
        if (body.overflowed()) {
            failMessage(SmtpReplies.MESSAGE_TOO_BIG);
        } else if (end.bareLineEnding()) {
            failMessage(SmtpReplies.BARE_LINE_ENDING);
        } else {
            submit(body.take());
        }
    }

    private void onBdat(SmtpCommand.Bdat bdat) {
        chunkRefusal = Optional.empty();
        if (transaction.isEmpty()) {
            chunkRefusal = Optional.of(SmtpReplies.NEED_MAIL);
        } else if (transaction.get().recipients().isEmpty()) {
            chunkRefusal = Optional.of(SmtpReplies.NEED_RCPT);
            resetTransaction(); // RFC 3030 2: a refused chunk fails the transaction; later chunks meet 503
        } else if (!chunking) {
            chunking = true;
            body = new MessageBody(ctx.alloc(), config.limits().maxMessageSize());
            startContent();
        }
        if (chunkRefusal.isPresent()) {
            discardBody();
        }
        lastChunk = bdat.last();
        if (bdat.size() > 0) {
            framer.expectChunk(bdat.size()); // read the chunk even when refusing it: it is not a command
        } else {
            onChunkEnd();
        }
    }

    private void onChunkEnd() {
        if (chunkRefusal.isPresent()) {
            error(chunkRefusal.get());
            chunkRefusal = Optional.empty();
            return;
        }
        if (body.overflowed()) {
            failMessage(SmtpReplies.MESSAGE_TOO_BIG);
            return;
        }
        if (!lastChunk) {
            reply(SmtpReplies.chunkReceived(body.size()));
            return;
        }
        ByteBuf content = body.take();
        if (LineEndings.hasBare(content)) {
            if (config.bareLineEndings() == BareLineEndings.REJECT) {
                content.release();
                failMessage(SmtpReplies.BARE_LINE_ENDING);
                return;
            }
            content = LineEndings.normalize(content, ctx.alloc());
        }
        submit(content);
    }

    /** Hands a complete message to reception; the reply waits for the spool commit. */
    private void submit(ByteBuf content) {
        Transaction tx = transaction.orElseThrow();
        Reception.Envelope envelope = new Reception.Envelope(tx.sender(), tx.parameters(), tx.recipients());
        resetTransaction();
        if (trace.active()) {
            trace.emit(SessionEvent.Kind.DATA, content.readableBytes() + " octets");
        }
        CompletableFuture<?> stored;
        try {
            stored = context.reception().receive(config.hostname(), facts(), envelope, content, ctx.alloc());
        } catch (RuntimeException e) {
            log.atError().addKeyValue("remote_ip", peerAddress()).setCause(e).log("reception failed");
            reply(SmtpReplies.LOCAL_ERROR);
            return;
        }
        // The session reads on while the commit runs; the reply keeps its place in the order.
        ReplySequencer.Slot slot = replies.reserve();
        messagesInFlight++;
        updateFlow();
        stored.whenCompleteAsync((id, failure) -> {
            messagesInFlight--;
            SmtpReply reply = failure == null ? SmtpReplies.queued(id) : SmtpReplies.forFailure(failure);
            if (failure != null) {
                context.metrics().rejected(reply);
            }
            if (!ctx.channel().isActive()) {
                return;
            }
            long held = failure == null ? -1 : context.spoolFailures().pass();
            if (held >= 0) {
                log.atWarn().addKeyValue("remote_ip", peerAddress()).addKeyValue("similar_not_logged", held)
                        .setCause(failure).log("message not spooled");
            }
            replies.fill(slot, reply);
            updateFlow();
        }, ctx.executor());
    }

    private void onStartTls() {
        if (replies.hasPending()) {
            // The 220 must be the last clear-text reply: let earlier replies go out first.
            await(replies.drained(), (done, failure) -> onStartTls());
            return;
        }
        if (config.tls() != TlsMode.STARTTLS || context.tls().isEmpty()) {
            error(SmtpReplies.TLS_NOT_AVAILABLE);
            return;
        }
        if (tls.isPresent()) {
            error(SmtpReplies.TLS_ALREADY_ACTIVE);
            return;
        }
        if (transaction.isPresent()) {
            error(SmtpReplies.TLS_IN_TRANSACTION);
            return;
        }
        int dropped = framer.discardBuffered(); // pipelined plaintext must never run as if it came over TLS
        if (dropped > 0) {
            log.atInfo().addKeyValue("remote_ip", peerAddress()).addKeyValue("octets", dropped)
                    .log("discarded input pipelined after STARTTLS");
        }
        SslHandler handler = new SslHandler(context.tls().get().context().newEngine(ctx.alloc()), true); // the 220 goes out in clear
        ctx.pipeline().addFirst("tls", handler);
        reply(SmtpReplies.READY_FOR_TLS);
        ctx.flush();
        awaiting = true;
        handler.handshakeFuture().addListener(done -> {
            awaiting = false;
            if (done.isSuccess()) {
                // RFC 3207 4.2: forget everything learnt before TLS.
                helo = Optional.empty();
                esmtp = false;
                resetTransaction();
                tls = Optional.of(tlsFacts(handler.engine().getSession()));
                traceTls();
            }
        });
    }

    private void onAuth(SmtpCommand.Auth auth) {
        if (!context.listener().authEnabled() || !context.credentials().hasUsers() || context.tls().isEmpty()) {
            error(SmtpReplies.AUTH_NOT_AVAILABLE);
        } else if (tls.isEmpty()) {
            error(SmtpReplies.AUTH_NEEDS_TLS);
        } else if (helo.isEmpty()) {
            error(SmtpReplies.SEND_HELO_FIRST);
        } else if (authIdentity.isPresent()) {
            error(SmtpReplies.ALREADY_AUTHENTICATED);
        } else if (transaction.isPresent()) {
            error(SmtpReplies.AUTH_IN_TRANSACTION);
        } else if (!exempt && context.authFailures().clientLocked(client, context.clock().instant())) {
            error(SmtpReplies.AUTH_LOCKED);
        } else {
            Optional<SaslExchange> exchange = SaslExchange.forMechanism(auth.mechanism());
            if (exchange.isEmpty()) {
                error(SmtpReplies.AUTH_MECHANISM_UNKNOWN);
                return;
            }
            sasl = exchange;
            onSaslStep(exchange.get().start(auth.initialResponse()));
        }
    }

    private void onSaslStep(SaslExchange.Step step) {
        if (step instanceof SaslExchange.Step.Challenge challenge) {
            reply(challenge.reply());
        } else if (step instanceof SaslExchange.Step.Failed failed) {
            sasl = Optional.empty();
            error(failed.reply());
        } else if (step instanceof SaslExchange.Step.Credentials credentials) {
            sasl = Optional.empty();
            if (!exempt && context.authFailures().userLocked(credentials.user(), context.clock().instant())) {
                Arrays.fill(credentials.password(), '\0');
                error(SmtpReplies.AUTH_LOCKED); // no password check at all while the name is locked
                return;
            }
            await(context.credentials().verify(credentials.user(), credentials.password()).thenCompose(result ->
                    result == CredentialVerifier.Result.REJECTED && !exempt ? afterFailureDelay(credentials.user(), result)
                            : CompletableFuture.completedFuture(result)), (result, failure) -> {
                if (result == CredentialVerifier.Result.ACCEPTED) {
                    context.authFailures().succeeded(client, credentials.user());
                    authIdentity = Optional.of(credentials.user());
                    reply(SmtpReplies.AUTH_OK);
                } else if (result == CredentialVerifier.Result.REJECTED) {
                    log.atInfo().addKeyValue("remote_ip", peerAddress()).log("authentication failed");
                    error(SmtpReplies.AUTH_FAILED);
                } else {
                    reply(SmtpReplies.AUTH_BUSY);
                }
            });
        } else {
            throw new IllegalStateException("unhandled SASL step " + step);
        }
    }

    /** Counts a failed AUTH and completes with {@code result} after the growing delay the failure earns. */
    private CompletableFuture<CredentialVerifier.Result> afterFailureDelay(String user, CredentialVerifier.Result result) {
        Duration delay = context.authFailures().failed(client, user, context.clock().instant());
        CompletableFuture<CredentialVerifier.Result> delayed = new CompletableFuture<>();
        ctx.executor().schedule(() -> delayed.complete(result), delay.toMillis(), TimeUnit.MILLISECONDS);
        return delayed;
    }

    /** Stops reading commands until {@code future} completes, then runs {@code then} on the event loop. */
    private <T> void await(CompletableFuture<T> future, BiConsumer<T, Throwable> then) {
        awaiting = true;
        updateFlow();
        future.whenCompleteAsync((value, failure) -> {
            awaiting = false;
            if (!ctx.channel().isActive()) {
                return;
            }
            then.accept(value, failure);
            ctx.flush();
            updateFlow();
        }, ctx.executor());
    }

    /** Pauses the framer while a result is awaited or too many messages are in flight; resumes it otherwise. */
    private void updateFlow() {
        boolean pause = !closing && (awaiting || messagesInFlight >= MAX_MESSAGES_IN_FLIGHT);
        if (closing || pause == paused) {
            return;
        }
        paused = pause;
        if (pause) {
            framer.pause();
        } else {
            framer.resume();
        }
    }

    private void failMessage(SmtpReply reply) {
        context.metrics().rejected(reply);
        resetTransaction();
        error(reply);
    }

    private void resetTransaction() {
        transaction = Optional.empty();
        chunking = false;
        contentStart = Optional.empty();
        discardBody();
    }

    private void discardBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private void reply(SmtpReply reply) {
        replies.send(reply);
    }

    /** A negative reply to the client's mistake; too many of them end the session. */
    private void error(SmtpReply reply) {
        reply(reply);
        errors++;
        if (errors >= config.limits().maxErrors()) {
            closeWith(SmtpReplies.tooManyErrors(config.hostname()));
        }
    }

    private void closeWith(SmtpReply reply) {
        closing = true;
        replies.sendAndClose(reply);
    }

    private void traceTls() {
        if (trace.active()) {
            tls.ifPresent(t -> trace.emit(SessionEvent.Kind.TLS, t.protocol() + " " + t.cipher()));
        }
    }

    private ReceptionFacts facts() {
        String protocol = esmtp ? "ESMTP" + (tls.isPresent() ? "S" : "") + (authIdentity.isPresent() ? "A" : "") : "SMTP";
        return new ReceptionFacts(config.name(), peerAddress(), helo.orElse(""), protocol, authIdentity, tls);
    }

    private String peerAddress() {
        return peer == null ? "unknown" : peer.getAddress().getHostAddress();
    }

    private static TlsFacts tlsFacts(SSLSession session) {
        return new TlsFacts(session.getProtocol(), session.getCipherSuite());
    }
}
