package io.runnel.sdk.loadgen;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One SMTP session on its own thread: claims message numbers until the phase is done, keeps a connection
 * open across messages (up to {@code messagesPerConnection}), and reconnects after any connection error.
 * Each claimed message is tried once, so a dead server ends the run instead of spinning.
 */
final class SmtpSessionRunner implements Runnable {

  private final LoadOptions options;
  private final MessageFactory messages;
  private final MessageSequence sequence;
  private final TransactionSender sender;
  private final SessionStats stats;

  private Optional<SmtpClientConnection> connection = Optional.empty();
  private ServerCapabilities capabilities = ServerCapabilities.NONE;
  private long sentOnConnection;

  SmtpSessionRunner(LoadOptions options, MessageFactory messages, MessageSequence sequence,
                    TransactionSender sender, SessionStats stats) {
    this.options = options;
    this.messages = messages;
    this.sequence = sequence;
    this.sender = sender;
    this.stats = stats;
  }

  @Override
  public void run() {
    try {
      for (OptionalLong n = sequence.claim(); n.isPresent(); n = sequence.claim()) {
        sendOne(messages.message(n.getAsLong()));
      }
    } finally {
      quit();
    }
  }

  private void sendOne(OutgoingMessage message) {
    try {
      SmtpClientConnection c = connected();
      Outcome outcome = sender.send(c, capabilities, message);
      stats.record(outcome, message.content().length);
      sentOnConnection++;
      if (outcome instanceof Outcome.Rejected r && r.closesConnection()) {
        drop();
      } else if (options.messagesPerConnection() > 0 && sentOnConnection >= options.messagesPerConnection()) {
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
    } catch (IOException e) {
      c.close();
      throw e;
    }
    connection = Optional.of(c);
    sentOnConnection = 0;
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
