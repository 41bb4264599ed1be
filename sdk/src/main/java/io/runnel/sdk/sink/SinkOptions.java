package io.runnel.sdk.sink;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;

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
 */
public record SinkOptions(InetAddress bindAddress, int port, boolean keepMessages, long maxMessageSize,
                          RecipientPolicy recipientPolicy, String hostname, int ioThreads) {

  public static final long DEFAULT_MAX_MESSAGE_SIZE = 64L << 20;

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
  }

  /** Loopback, a free port, messages counted but not kept, every recipient accepted. */
  public static SinkOptions defaults() {
    return new SinkOptions(InetAddress.getLoopbackAddress(), 0, false, DEFAULT_MAX_MESSAGE_SIZE,
        RecipientPolicy.acceptAll(), "sink.runnel.local", 0);
  }

  public SinkOptions withBindAddress(InetAddress address) {
    return new SinkOptions(address, port, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads);
  }

  public SinkOptions withPort(int newPort) {
    return new SinkOptions(bindAddress, newPort, keepMessages, maxMessageSize, recipientPolicy, hostname, ioThreads);
  }

  public SinkOptions keepingMessages(boolean keep) {
    return new SinkOptions(bindAddress, port, keep, maxMessageSize, recipientPolicy, hostname, ioThreads);
  }

  public SinkOptions withRecipientPolicy(RecipientPolicy policy) {
    return new SinkOptions(bindAddress, port, keepMessages, maxMessageSize, policy, hostname, ioThreads);
  }

  public SinkOptions withMaxMessageSize(long bytes) {
    return new SinkOptions(bindAddress, port, keepMessages, bytes, recipientPolicy, hostname, ioThreads);
  }
}
