package io.runnel.sdk.sink;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP state machine of one connection. Replies are written as frames are handled and flushed once per
 * read, so a pipelined batch of commands gets one batch of replies. Nothing here blocks.
 */
final class SinkSessionHandler extends SimpleChannelInboundHandler<SinkFrame> {

  private static final Pattern PATH =
      Pattern.compile("(FROM|TO):\\s*<([^<>]*)>(?:\\s+(.*))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE_PARAM = Pattern.compile("(?:^|\\s)SIZE=([0-9]{1,18})(?:\\s|$)",
      Pattern.CASE_INSENSITIVE);

  private static final SinkReply OK = SinkReply.of(250, "2.0.0 Ok");
  private static final SinkReply NEED_EHLO = SinkReply.of(503, "5.5.1 Send EHLO first");
  private static final SinkReply NEED_MAIL = SinkReply.of(503, "5.5.1 Need MAIL first");
  private static final SinkReply NO_RECIPIENTS = SinkReply.of(554, "5.5.1 No valid recipients");
  private static final SinkReply TOO_BIG = SinkReply.of(552, "5.3.4 Message too big");
  private static final SinkReply TEMPFAIL = SinkReply.of(451, "4.3.0 Sink deferral (reply share)");
  private static final SinkReply PERMFAIL = SinkReply.of(550, "5.7.1 Sink refusal (reply share)");

  private final SinkOptions options;
  private final SinkFrameDecoder decoder;
  private final SinkRecorder recorder;

  private boolean greeted;
  private Optional<String> sender = Optional.empty();
  private final List<String> recipients = new ArrayList<>();
  private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
  private long chunkedSize;
  private boolean chunkFailed;
  private boolean quitting;
  private boolean stalled;
  private boolean tlsActive;
  private int connection;
  private int read = 1;

  SinkSessionHandler(SinkOptions options, SinkFrameDecoder decoder, SinkRecorder recorder) {
    this.options = options;
    this.decoder = decoder;
    this.recorder = recorder;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    connection = recorder.connected(ctx.channel().remoteAddress());
    if (!faulted(ctx, "BANNER")) ctx.write(SinkReply.of(220, options.hostname() + " ESMTP Runnel sink"));
    ctx.flush();
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, SinkFrame frame) {
    if (quitting || stalled) return;   // anything pipelined behind QUIT is ignored
    if (frame instanceof SinkFrame.Command c) {
      recorder.command(new SinkCommand(connection, read, c.line()));
      command(ctx, c.line());
    } else if (frame instanceof SinkFrame.Data d) {
      if (faulted(ctx, ".")) {
        resetTransaction();
      } else {
        endOfData(ctx, d.content(), d.size());
      }
    } else if (frame instanceof SinkFrame.Chunk c) {
      recorder.command(new SinkCommand(connection, read, "BDAT " + c.size() + (c.last() ? " LAST" : "")));
      // A fault scripted for "." (end of data) also answers the last chunk, so scripts work for DATA and BDAT.
      if (faulted(ctx, "BDAT") || (c.last() && faulted(ctx, "."))) {
        resetTransaction();
      } else {
        chunk(ctx, c);
      }
    } else if (frame instanceof SinkFrame.BadLine b) {
      ctx.write(SinkReply.of(500, b.reason()));
    } else {
      throw new IllegalStateException("unhandled frame " + frame);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    read++;
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();   // resets and protocol garbage end only this connection; the sink keeps serving
  }

  private void command(ChannelHandlerContext ctx, String line) {
    int space = line.indexOf(' ');
    String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    String argument = space < 0 ? "" : line.substring(space + 1).trim();
    if (faulted(ctx, verb)) return;
    switch (verb) {
      case "EHLO" -> ctx.write(hello(argument, true));
      case "HELO" -> ctx.write(hello(argument, false));
      case "MAIL" -> ctx.write(mail(argument));
      case "RCPT" -> ctx.write(rcpt(argument));
      case "DATA" -> ctx.write(data(argument));
      case "BDAT" -> ctx.write(SinkReply.of(501, "5.5.4 Syntax: BDAT size [LAST]"));
      case "RSET" -> {
        resetTransaction();
        ctx.write(OK);
      }
      case "NOOP" -> ctx.write(OK);
      case "STARTTLS" -> startTls(ctx);
      case "QUIT" -> {
        quitting = true;
        ctx.writeAndFlush(SinkReply.of(221, "2.0.0 Bye")).addListener(ChannelFutureListener.CLOSE);
      }
      default -> ctx.write(SinkReply.of(500, "5.5.2 Command not recognized"));
    }
  }

  private SinkReply hello(String name, boolean extended) {
    if (name.isEmpty()) return SinkReply.of(501, "5.5.4 Syntax: " + (extended ? "EHLO" : "HELO") + " domain");
    resetTransaction();
    greeted = true;
    if (!extended) return SinkReply.of(250, options.hostname());
    List<String> lines = new ArrayList<>();
    lines.add(options.hostname());
    if (options.startTls().isPresent() && !tlsActive) lines.add("STARTTLS");
    for (String keyword : options.extensions()) {
      lines.add(keyword.equalsIgnoreCase("SIZE") ? "SIZE " + options.maxMessageSize() : keyword);
    }
    return new SinkReply(250, lines);
  }

  /** Does what {@code fault} scripts for this occurrence of {@code verb}; false when the sink answers normally. */
  private boolean faulted(ChannelHandlerContext ctx, String verb) {
    SinkFault fault = recorder.nextFault(verb).orElse(null);
    if (fault == null || fault instanceof SinkFault.Normal) return false;
    if (fault instanceof SinkFault.Reply r) {
      ctx.write(r.reply());
    } else if (fault instanceof SinkFault.Stall) {
      stalled = true;
    } else if (fault instanceof SinkFault.Drop) {
      quitting = true;
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);   // earlier replies go first
    } else {
      throw new IllegalStateException("unhandled fault " + fault);
    }
    return true;
  }

  private void startTls(ChannelHandlerContext ctx) {
    if (options.startTls().isEmpty()) {
      ctx.write(SinkReply.of(502, "5.5.1 STARTTLS not offered"));
      return;
    }
    if (tlsActive) {
      ctx.write(SinkReply.of(503, "5.5.1 TLS already active"));
      return;
    }
    // startTls = true: the 220 below still goes out in clear, everything after it is encrypted.
    ctx.pipeline().addFirst("tls", new SslHandler(options.startTls().get().newEngine(ctx.alloc()), true));
    ctx.write(SinkReply.of(220, "2.0.0 Ready to start TLS"));
    tlsActive = true;
    greeted = false;   // RFC 3207 4.2: the client starts over with EHLO
    resetTransaction();
  }

  private SinkReply mail(String argument) {
    if (!greeted) return NEED_EHLO;
    if (sender.isPresent()) return SinkReply.of(503, "5.5.1 Nested MAIL command");
    Matcher path = PATH.matcher(argument);
    if (!path.matches() || !path.group(1).equalsIgnoreCase("FROM")) {
      return SinkReply.of(501, "5.5.4 Syntax: MAIL FROM:<address>");
    }
    if (path.group(3) != null) {
      Matcher size = SIZE_PARAM.matcher(path.group(3));
      if (size.find() && Long.parseLong(size.group(1)) > options.maxMessageSize()) return TOO_BIG;
    }
    resetTransaction();   // also clears a failed BDAT sequence without a transaction
    sender = Optional.of(path.group(2));
    return SinkReply.of(250, "2.1.0 Ok");
  }

  private SinkReply rcpt(String argument) {
    if (sender.isEmpty()) return NEED_MAIL;
    Matcher path = PATH.matcher(argument);
    if (!path.matches() || !path.group(1).equalsIgnoreCase("TO") || path.group(2).isEmpty()) {
      return SinkReply.of(501, "5.5.4 Syntax: RCPT TO:<address>");
    }
    SinkReply reply = options.recipientPolicy().replyTo(path.group(2));
    if (reply.isPositive()) recipients.add(path.group(2));
    return reply;
  }

  private SinkReply data(String argument) {
    if (!argument.isEmpty()) return SinkReply.of(501, "5.5.4 Syntax: DATA");
    if (sender.isEmpty()) return NEED_MAIL;
    if (chunkedSize > 0 || chunkFailed) return SinkReply.of(503, "5.5.1 DATA after BDAT");
    if (recipients.isEmpty()) return NO_RECIPIENTS;
    decoder.expectData();
    return SinkReply.of(354, "End data with <CR><LF>.<CR><LF>");
  }

  private void chunk(ChannelHandlerContext ctx, SinkFrame.Chunk chunk) {
    // RFC 3030: once a chunk fails the client sends no more; keep refusing until RSET or a new MAIL.
    if (chunkFailed) {
      ctx.write(SinkReply.of(503, "5.5.1 Transaction failed, send RSET"));
    } else if (sender.isEmpty() || recipients.isEmpty()) {
      chunkFailed = true;
      ctx.write(sender.isEmpty() ? NEED_MAIL : NO_RECIPIENTS);
    } else {
      chunkedSize += chunk.size();
      if (options.capturesContent() && chunkedSize <= options.maxMessageSize()) chunks.writeBytes(chunk.content());
      if (chunk.last()) {
        endOfData(ctx, chunks.toByteArray(), chunkedSize);
      } else {
        ctx.write(SinkReply.of(250, "2.0.0 " + chunk.size() + " octets received"));
      }
    }
  }

  /** Answers the end of a message: too big, refused or stalled as the reply shares say, or recorded. */
  private void endOfData(ChannelHandlerContext ctx, byte[] content, long size) {
    try {
      if (size > options.maxMessageSize()) {
        ctx.write(TOO_BIG);
        return;
      }
      ReplyShares.Decision decision = options.replyShares().decide(recorder.nextEndOfData());
      switch (decision) {
        case TEMPFAIL -> ctx.write(TEMPFAIL);
        case PERMFAIL -> ctx.write(PERMFAIL);
        case STALL -> stalled = true;
        case ACCEPT -> {
          long id = recorder.record(sender.orElseThrow(), recipients, content, size);
          options.dkimSample().filter(sample -> sample.covers(id))
              .ifPresent(sample -> recorder.dkim(sample.verifier().verify(content).status()));
          ctx.write(SinkReply.of(250, "2.0.0 Ok: queued as " + id));
        }
        default -> throw new IllegalStateException("unhandled decision " + decision);
      }
      if (decision != ReplyShares.Decision.ACCEPT) recorder.refused(decision);
    } finally {
      resetTransaction();
    }
  }

  private void resetTransaction() {
    sender = Optional.empty();
    recipients.clear();
    chunks.reset();
    chunkedSize = 0;
    chunkFailed = false;
  }
}
