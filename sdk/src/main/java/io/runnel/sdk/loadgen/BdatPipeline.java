package io.runnel.sdk.loadgen;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The messages a session has written on its connection and not yet seen answered, for pipelined BDAT
 * (RFC 2920, RFC 3030). Each message goes out as one batch, {@code [RSET] MAIL, RCPT..., BDAT n LAST, content},
 * and its replies are read strictly in that order, oldest message first; servers never answer out of order.
 *
 * <p>RSET leads a message written while the transaction before it is not known to have been accepted: after a
 * refused BDAT the server's state is indeterminate until RSET (RFC 3030 section 2), and servers do keep the
 * envelope of a message whose every recipient was refused (Runnel and the sink both answer the next MAIL with
 * 503). Without it one refused message would spoil the messages pipelined behind it.
 *
 * <p>Writes block, reads block, and one thread does both, so the session bounds what it leaves unanswered:
 * at most the pipeline depth in messages and, beyond the first message, {@link #MAX_UNANSWERED_BYTES}. The
 * server's replies to that much are small enough to sit in the socket buffers while the session writes, so
 * neither side can wait on the other forever. Confined to the session thread.
 */
final class BdatPipeline {

  /** No further message is written while this many message bytes await their replies. */
  static final long MAX_UNANSWERED_BYTES = 256 * 1024;

  /** A message whose last reply was read. */
  record Finished(OutgoingMessage message, Outcome outcome, boolean closesConnection) {}

  private final LongSupplier nanoTime;
  private final Deque<InFlight> inFlight = new ArrayDeque<>();
  private long unansweredBytes;
  private boolean clean = true;   // no transaction of ours can still be open on the server

  BdatPipeline(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  boolean isEmpty() {
    return inFlight.isEmpty();
  }

  /** Another message may go out: the pipeline is empty, or below {@code depth} and the byte bound. */
  boolean hasRoom(int depth) {
    return inFlight.isEmpty() || inFlight.size() < depth && unansweredBytes < MAX_UNANSWERED_BYTES;
  }

  /** Starts over on a fresh connection; the pipeline must be empty. */
  void connected() {
    if (!inFlight.isEmpty()) throw new IllegalStateException(inFlight.size() + " messages still in flight");
    clean = true;
  }

  /** Forgets every message in flight when the connection is lost; returns how many there were. */
  int abandon() {
    int lost = inFlight.size();
    inFlight.clear();
    unansweredBytes = 0;
    clean = true;
    return lost;
  }

  /** Writes and flushes one message. It is in flight from the first byte, so a failed write loses it too. */
  void write(SmtpClientConnection c, ServerCapabilities caps, OutgoingMessage m) throws IOException {
    InFlight f = new InFlight(m, !clean);
    inFlight.addLast(f);
    unansweredBytes += m.content().length;
    clean = false;
    if (f.awaitingReset) c.command("RSET");
    c.command(TransactionSender.mailFrom(caps, m));
    for (String rcpt : m.recipients()) c.command("RCPT TO:<" + rcpt + ">");
    c.command("BDAT " + m.content().length + " LAST");
    c.output().write(m.content());
    f.writtenNanos = nanoTime.getAsLong();
    c.flush();
  }

  /**
   * Reads the next reply, which belongs to the oldest message in flight.
   *
   * @return that message once this was its last reply: its BDAT reply, or a 421 that closes the connection
   * @throws SmtpProtocolException when the reply cannot be the answer to the command it belongs to
   */
  Optional<Finished> readReply(SmtpClientConnection c) throws IOException {
    InFlight f = inFlight.peekFirst();
    if (f == null) throw new IllegalStateException("no message awaits a reply");
    Reply reply = c.readReply();
    long now = nanoTime.getAsLong();
    Optional<Finished> finished = f.accept(reply, now);
    if (finished.isPresent()) {
      inFlight.removeFirst();
      unansweredBytes -= f.message.content().length;
      if (inFlight.isEmpty()) clean = finished.get().outcome() instanceof Outcome.Accepted;
    }
    return finished;
  }

  /** The replies of one message, as they arrive. */
  private static final class InFlight {
    final OutgoingMessage message;
    boolean awaitingReset;
    long writtenNanos;
    Reply mail;
    final List<Integer> refused = new ArrayList<>();
    int rcptReplies;
    int acceptedRcpts;

    InFlight(OutgoingMessage message, boolean reset) {
      this.message = message;
      this.awaitingReset = reset;
    }

    Optional<Finished> accept(Reply reply, long now) throws SmtpProtocolException {
      if (reply.code() == 421) {
        // The server is closing the channel: nothing more will be answered.
        boolean mailRefused = mail != null && !mail.isPositive();
        Outcome o = new Outcome.Rejected(mailRefused ? mail.code() : 421, mailRefused ? List.of() : refused);
        return Optional.of(new Finished(message, o, true));
      }
      if (reply.isIntermediate()) throw new SmtpProtocolException("unexpected reply: " + reply);
      if (awaitingReset) {
        if (!reply.isPositive()) throw new SmtpProtocolException("RSET refused: " + reply);
        awaitingReset = false;
      } else if (mail == null) {
        mail = reply;
      } else if (rcptReplies < message.recipients().size()) {
        rcptReplies++;
        if (reply.isPositive()) acceptedRcpts++; else refused.add(TransactionSender.refusalCode(reply));
      } else {
        long micros = (now - writtenNanos) / 1_000;
        Outcome o = TransactionSender.bdatOutcome(mail, refused, acceptedRcpts, reply, micros);
        return Optional.of(new Finished(message, o, o instanceof Outcome.Rejected r && r.closesConnection()));
      }
      return Optional.empty();
    }
  }
}
