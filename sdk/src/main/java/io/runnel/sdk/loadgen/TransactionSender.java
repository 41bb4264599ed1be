package io.runnel.sdk.loadgen;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Sends one message over an open connection: MAIL, RCPT and DATA (or BDAT LAST), pipelined when the server
 * advertises PIPELINING. Replies are read in command order. Latency runs from handing the last byte of the
 * message to the socket until its reply is read; with pipelined BDAT that includes MAIL and RCPT.
 */
final class TransactionSender {

  private final boolean preferBdat;
  private final LongSupplier nanoTime;

  TransactionSender(boolean preferBdat, LongSupplier nanoTime) {
    this.preferBdat = preferBdat;
    this.nanoTime = nanoTime;
  }

  Outcome send(SmtpClientConnection c, ServerCapabilities caps, OutgoingMessage m) throws IOException {
    boolean bdat = preferBdat && caps.chunking();
    Outcome outcome = caps.pipelining() ? pipelined(c, caps, m, bdat) : lockStep(c, caps, m, bdat);
    if (outcome instanceof Outcome.Rejected r && !r.closesConnection()) {
      // MAIL may still be in effect (e.g. every RCPT refused), and the next message needs a clean slate.
      c.command("RSET");
      c.flush();
      c.readReply();
    }
    return outcome;
  }

  private Outcome pipelined(SmtpClientConnection c, ServerCapabilities caps, OutgoingMessage m, boolean bdat)
      throws IOException {
    c.command(mailFrom(caps, m));
    for (String rcpt : m.recipients()) c.command("RCPT TO:<" + rcpt + ">");
    long start = 0;
    if (bdat) {
      c.command("BDAT " + m.content().length + " LAST");
      c.output().write(m.content());
      start = nanoTime.getAsLong();
    } else {
      c.command("DATA");
    }
    c.flush();

    Reply mail = c.readReply();
    List<Integer> refused = new ArrayList<>();
    int acceptedRcpts = 0;
    for (int i = 0; i < m.recipients().size(); i++) {
      Reply rcpt = c.readReply();
      if (rcpt.isPositive()) acceptedRcpts++; else refused.add(refusalCode(rcpt));
    }
    Reply dataOrBdat = c.readReply();
    if (bdat) return finish(mail, refused, acceptedRcpts, dataOrBdat, start);
    if (!dataOrBdat.isIntermediate()) return refusedBefore(mail, refused, acceptedRcpts, dataOrBdat);
    return sendData(c, m, refused);
  }

  private Outcome lockStep(SmtpClientConnection c, ServerCapabilities caps, OutgoingMessage m, boolean bdat)
      throws IOException {
    Reply mail = exchange(c, mailFrom(caps, m));
    if (!mail.isPositive()) return asRejection(mail, List.of());
    List<Integer> refused = new ArrayList<>();
    for (String rcpt : m.recipients()) {
      Reply reply = exchange(c, "RCPT TO:<" + rcpt + ">");
      if (!reply.isPositive()) refused.add(refusalCode(reply));
    }
    if (refused.size() == m.recipients().size()) return new Outcome.Rejected(refused.get(0), refused);
    if (bdat) {
      c.command("BDAT " + m.content().length + " LAST");
      c.output().write(m.content());
      long start = nanoTime.getAsLong();
      c.flush();
      return finish(mail, refused, m.recipients().size() - refused.size(), c.readReply(), start);
    }
    Reply data = exchange(c, "DATA");
    if (!data.isIntermediate()) return asRejection(data, refused);
    return sendData(c, m, refused);
  }

  private Outcome sendData(SmtpClientConnection c, OutgoingMessage m, List<Integer> refused) throws IOException {
    DotStuffer.writeStuffed(m.content(), c.output());
    long start = nanoTime.getAsLong();
    DotStuffer.writeEndOfData(m.content(), c.output());
    c.flush();
    Reply end = c.readReply();
    long micros = (nanoTime.getAsLong() - start) / 1_000;
    return end.isPositive() ? new Outcome.Accepted(micros, refused) : asRejection(end, refused);
  }

  private Outcome finish(Reply mail, List<Integer> refused, int acceptedRcpts, Reply end, long start)
      throws SmtpProtocolException {
    return bdatOutcome(mail, refused, acceptedRcpts, end, (nanoTime.getAsLong() - start) / 1_000);
  }

  /** The outcome of a MAIL, RCPT..., BDAT LAST transaction from its replies; shared with {@link BdatPipeline}. */
  static Outcome bdatOutcome(Reply mail, List<Integer> refused, int acceptedRcpts, Reply end, long micros)
      throws SmtpProtocolException {
    if (mail.isPositive() && acceptedRcpts > 0 && end.isPositive()) return new Outcome.Accepted(micros, refused);
    return refusedBefore(mail, refused, acceptedRcpts, end);
  }

  /** Names the reply that sank the message: MAIL first, then the RCPTs, then DATA/BDAT. */
  private static Outcome refusedBefore(Reply mail, List<Integer> refused, int acceptedRcpts, Reply last)
      throws SmtpProtocolException {
    if (!mail.isPositive()) return asRejection(mail, List.of());
    if (acceptedRcpts == 0) return new Outcome.Rejected(refused.get(0), refused);
    return asRejection(last, refused);
  }

  /** A reply that is neither what we waited for nor a refusal breaks the protocol: the session reconnects. */
  private static Outcome asRejection(Reply reply, List<Integer> refused) throws SmtpProtocolException {
    if (reply.code() < 400) throw new SmtpProtocolException("unexpected reply: " + reply);
    return new Outcome.Rejected(reply.code(), refused);
  }

  static int refusalCode(Reply reply) throws SmtpProtocolException {
    if (reply.code() < 400) throw new SmtpProtocolException("unexpected reply: " + reply);
    return reply.code();
  }

  private static Reply exchange(SmtpClientConnection c, String command) throws IOException {
    c.command(command);
    c.flush();
    return c.readReply();
  }

  static String mailFrom(ServerCapabilities caps, OutgoingMessage m) {
    String mail = "MAIL FROM:<" + m.sender() + ">";
    return caps.size() ? mail + " SIZE=" + m.content().length : mail;
  }
}
