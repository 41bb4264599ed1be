package io.runnel.sdk.loadgen;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * One SMTP session on its own thread: claims message numbers until the phase is done, keeps a connection
 * open across messages (up to {@code messagesPerConnection}), and reconnects after any connection error.
 * Each claimed message is tried once, so a dead server ends the run instead of spinning.
 *
 * <p>With a pipeline depth above 1 and a server that offers PIPELINING and CHUNKING, the session keeps up to
 * that many BDAT messages in flight ({@link BdatPipeline}); a lost connection costs every message in flight.
 */
final class SmtpSessionRunner implements Runnable {

  private final LoadOptions options;
  private final MessageFactory messages;
  private final MessageSequence sequence;
  private final TransactionSender sender;
  private final SessionStats stats;
  private final Runnable depthFallback;
  private final BdatPipeline pipeline;
  private final Optional<SSLSocketFactory> tls;

  private Optional<SmtpClientConnection> connection = Optional.empty();
  private ServerCapabilities capabilities = ServerCapabilities.NONE;
  private long sentOnConnection;

  SmtpSessionRunner(LoadOptions options, MessageFactory messages, MessageSequence sequence,
                    TransactionSender sender, SessionStats stats, LongSupplier nanoTime,
                    Runnable depthFallback, Optional<SSLSocketFactory> tls) {
    this.options = options;
    this.messages = messages;
    this.sequence = sequence;
    this.sender = sender;
    this.stats = stats;
    this.depthFallback = depthFallback;
    this.pipeline = new BdatPipeline(nanoTime);
    this.tls = tls;
  }

  @Override
  public void run() {
    try {
      if (options.pipelineDepth() > 1) {
        runPipelined();
      } else {
        for (OptionalLong n = sequence.claim(); n.isPresent(); n = sequence.claim()) {
          sendOne(messages.message(n.getAsLong()));
        }
      }
    } finally {
      quit();
    }
  }

  /**
   * Writes while the pipeline has room and reads one reply when it has not. Replies that have already arrived
   * are read before each write, so a message's latency includes writing later messages only while its reply
   * arrives during such a write; one thread cannot do better.
   */
  private void runPipelined() {
    OptionalLong next = sequence.claim();
    while (next.isPresent() || !pipeline.isEmpty()) {
      try {
        while (connection.isPresent() && !pipeline.isEmpty() && connection.get().replyWaiting()) readOne();
        if (connection.isPresent() && pipeline.isEmpty() && connectionSpent()) quit();
        if (next.isPresent() && mayWrite()) {
          OutgoingMessage m = messages.message(next.getAsLong());
          next = sequence.claim();
          writeOne(m);
        } else if (!pipeline.isEmpty()) {
          readOne();
        }
      } catch (IOException e) {
        // Counted, not fatal: the messages awaiting replies are lost with the connection, the next opens another.
        lose();
      }
    }
  }

  /** Another message may go out: on a new connection, or on this one while it is not spent and has room. */
  private boolean mayWrite() {
    return connection.isEmpty() || !connectionSpent() && pipeline.hasRoom(options.pipelineDepth());
  }

  private void writeOne(OutgoingMessage m) throws IOException {
    SmtpClientConnection c;
    try {
      c = connected();
    } catch (IOException e) {
      stats.recordError();
      return;
    }
    if (!capabilities.pipelining() || !capabilities.chunking()) {
      depthFallback.run();
      sendOne(m);
      return;
    }
    pipeline.write(c, capabilities, m);
    sentOnConnection++;
  }

  private void readOne() throws IOException {
    Optional<BdatPipeline.Finished> finished = pipeline.readReply(connection.orElseThrow());
    if (finished.isEmpty()) return;
    stats.record(finished.get().outcome(), finished.get().message().content().length);
    if (finished.get().closesConnection()) lose();
  }

  /** Drops the connection; every message still awaiting a reply on it is an error. */
  private void lose() {
    for (int lost = pipeline.abandon(); lost > 0; lost--) stats.recordError();
    drop();
  }

  private boolean connectionSpent() {
    return options.messagesPerConnection() > 0 && sentOnConnection >= options.messagesPerConnection();
  }

  private void sendOne(OutgoingMessage message) {
    try {
      SmtpClientConnection c = connected();
      Outcome outcome = sender.send(c, capabilities, message);
      stats.record(outcome, message.content().length);
      sentOnConnection++;
      if (outcome instanceof Outcome.Rejected r && r.closesConnection()) {
        drop();
      } else if (connectionSpent()) {
        quit();
      }
    } catch (IOException e) {
      // Counted, not fatal: the next message opens a fresh connection.
      stats.recordError();
      drop();
    }
  }

  private SmtpClientConnection connected() throws IOException {
    if (connection.isPresent()) return connection.get();
    SmtpClientConnection c = SmtpClientConnection.open(options.host(), options.port(), options.replyTimeout());
    try {
      capabilities = c.hello(options.ehloName());
      if (tls.isPresent()) {
        if (!capabilities.startTls()) throw new SmtpProtocolException("server does not offer STARTTLS");
        c.startTls(tls.get(), options.host());
        capabilities = c.hello(options.ehloName());
      }
    } catch (IOException e) {
      c.close();
      throw e;
    }
    connection = Optional.of(c);
    sentOnConnection = 0;
    pipeline.connected();
    return c;
  }

  /** Polite end of a connection; a server that is already gone needs no QUIT, so failures only close. */
  private void quit() {
    connection.ifPresent(c -> {
      try {
        c.command("QUIT");
        c.flush();
        c.readReply();
      } catch (IOException e) {
        // Nothing to count: every message on this connection already has its outcome.
      }
    });
    drop();
  }

  private void drop() {
    connection.ifPresent(c -> {
      try {
        c.close();
      } catch (IOException e) {
        // Closing a socket we are abandoning; there is nothing left to recover.
      }
    });
    connection = Optional.empty();
  }
}
