package io.runnel.sdk.sink;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link SmtpSink} listens and answers.
 *
 * @param bindAddress     address to listen on; loopback unless a benchmark runs across hosts
 * @param port            port to listen on; 0 picks a free port, see {@link SmtpSink#port()}
 * @param keepMessages    keep every accepted message in memory for {@link SmtpSink#received()}
 * @param maxMessageSize  advertised SIZE; larger messages get 552
 * @param recipientPolicy reply to each RCPT
 * @param hostname        name in the greeting and EHLO reply
 * @param ioThreads       Netty event loop threads; 0 lets Netty choose
 * @param extensions      EHLO keywords in the order advertised; {@code SIZE} gets the limit appended
 * @param faults          scripted misbehaviour by verb: the n-th occurrence of a verb, counted across the sink's
 *                        connections, gets the n-th fault; later occurrences are answered normally
 * @param startTls        when present, STARTTLS is offered with this server context
 * @param replyShares     shares of messages refused or stalled at end of data
 * @param dkimSample      when present, the DKIM signatures of a sample of the accepted messages are checked
 * @param statsPort       when present, a plain TCP port that answers every connection with one line of
 *                        {@link SinkStats#toJson()} and closes it; 0 picks a free port
 * @param keepMessageIds  count accepted messages by their Message-ID, without keeping them: an exactly-once ledger
 *                        for runs too big to keep every message in memory
 */
public record SinkOptions(InetAddress bindAddress, int port, boolean keepMessages, long maxMessageSize,
                          RecipientPolicy recipientPolicy, String hostname, int ioThreads, List<String> extensions,
                          Map<String, List<SinkFault>> faults, Optional<SslContext> startTls,
                          ReplyShares replyShares, Optional<DkimSample> dkimSample, Optional<Integer> statsPort,
                          boolean keepMessageIds) {

  public static final long DEFAULT_MAX_MESSAGE_SIZE = 64L << 20;
  public static final List<String> DEFAULT_EXTENSIONS =
      List.of("PIPELINING", "8BITMIME", "SMTPUTF8", "CHUNKING", "SIZE", "ENHANCEDSTATUSCODES");

  public SinkOptions {
    requireNonNull(bindAddress, "bindAddress");
    requireNonNull(recipientPolicy, "recipientPolicy");
    requireNonNull(hostname, "hostname");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535: " + port);
    if (maxMessageSize < 1 || maxMessageSize > Integer.MAX_VALUE - 8) {
      // Kept messages live in one byte array.
      throw new IllegalArgumentException("maxMessageSize must be 1 B to 2 GiB: " + maxMessageSize);
    }
    if (ioThreads < 0) throw new IllegalArgumentException("ioThreads must be >= 0: " + ioThreads);
    if (hostname.isBlank() || hostname.contains(" ")) throw new IllegalArgumentException("bad hostname: " + hostname);
    extensions = List.copyOf(extensions);
    Map<String, List<SinkFault>> copy = new HashMap<>();
    faults.forEach((verb, script) -> copy.put(verb.toUpperCase(Locale.ROOT), List.copyOf(script)));
    faults = Map.copyOf(copy);
    requireNonNull(startTls, "startTls");
    requireNonNull(replyShares, "replyShares");
    requireNonNull(dkimSample, "dkimSample");
    requireNonNull(statsPort, "statsPort");
    statsPort.ifPresent(p -> {
      if (p < 0 || p > 65535) throw new IllegalArgumentException("stats port must be 0-65535: " + p);
    });
  }

  /** Message content is copied out of the socket buffers only when something reads it. */
  boolean capturesContent() {
    return keepMessages || keepMessageIds || dkimSample.isPresent();
  }

  /** Loopback, a free port, messages counted but not kept, every recipient accepted. */
  public static SinkOptions defaults() {
    return new SinkOptions(InetAddress.getLoopbackAddress(), 0, false, DEFAULT_MAX_MESSAGE_SIZE,
        RecipientPolicy.acceptAll(), "sink.runnel.local", 0, DEFAULT_EXTENSIONS, Map.of(), Optional.empty(),
        ReplyShares.NONE, Optional.empty(), Optional.empty(), false);
  }

  public SinkOptions withBindAddress(InetAddress address) {
    return new SinkOptions(address, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads, extensions, faults, startTls, replyShares, dkimSample, statsPort, keepMessageIds);
  }

  public SinkOptions withPort(int newPort) {
    return new SinkOptions(bindAddress, newPort, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads, extensions, faults, startTls, replyShares, dkimSample, statsPort, keepMessageIds);
  }

  public SinkOptions keepingMessages(boolean keep) {
    return new SinkOptions(bindAddress, port, keep, maxMessageSize, recipientPolicy, hostname, ioThreads, extensions, faults, startTls, replyShares, dkimSample, statsPort, keepMessageIds);
  }

  /** Counts accepted messages by Message-ID ({@link SmtpSink#messageIds()}). */
  public SinkOptions keepingMessageIds(boolean keep) {
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads, extensions, faults, startTls, replyShares, dkimSample, statsPort, keep);
  }

  public SinkOptions withRecipientPolicy(RecipientPolicy policy) {
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, policy, hostname, ioThreads, extensions, faults, startTls, replyShares, dkimSample, statsPort, keepMessageIds);
  }

  public SinkOptions withMaxMessageSize(long bytes) {
    return new SinkOptions(bindAddress, port, keepMessages, bytes, recipientPolicy, hostname, ioThreads, extensions, faults, startTls, replyShares, dkimSample, statsPort, keepMessageIds);
  }

  /** Advertises exactly these EHLO keywords (plus STARTTLS when offered); the sink still accepts every command. */
  public SinkOptions withExtensions(String... keywords) {
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads,
        List.of(keywords), faults, startTls, replyShares, dkimSample, statsPort, keepMessageIds);
  }

  /**
   * Scripts the first occurrences of {@code verb} (a command verb, {@code BANNER} or {@code .} for end of data),
   * e.g. {@code withFaults("MAIL", SinkFault.reply(451, "4.3.0 Try later"))} defers once and then accepts.
   */
  public SinkOptions withFaults(String verb, SinkFault... script) {
    Map<String, List<SinkFault>> all = new HashMap<>(faults);
    all.put(verb.toUpperCase(Locale.ROOT), List.of(script));
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads,
        extensions, all, startTls, replyShares, dkimSample, statsPort, keepMessageIds);
  }

  /** Offers STARTTLS with this server context (certificate chosen by the test). */
  public SinkOptions withStartTls(SslContext context) {
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads,
        extensions, faults, Optional.of(context), replyShares, dkimSample, statsPort, keepMessageIds);
  }

  /** Refuses or stalls these shares of messages at end of data. */
  public SinkOptions withReplyShares(ReplyShares shares) {
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads,
        extensions, faults, startTls, shares, dkimSample, statsPort, keepMessageIds);
  }

  /** Checks the DKIM signatures of this sample of accepted messages. */
  public SinkOptions withDkimSample(DkimSample sample) {
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads,
        extensions, faults, startTls, replyShares, Optional.of(sample), statsPort, keepMessageIds);
  }

  /** Serves {@link SinkStats} as one JSON line per connection on this port (0: a free one). */
  public SinkOptions withStatsPort(int statsPortNumber) {
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads,
        extensions, faults, startTls, replyShares, dkimSample, Optional.of(statsPortNumber), keepMessageIds);
  }
}
