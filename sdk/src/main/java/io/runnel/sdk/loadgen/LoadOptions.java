package io.runnel.sdk.loadgen;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.IllegalFormatException;
import java.util.Locale;

/**
 * What one load run sends and where.
 *
 * @param host                  server host name or address
 * @param port                  server port
 * @param messages              messages counted in the report
 * @param sizes                 bytes of each whole message (headers and body), before dot-stuffing: one size or a mix
 * @param concurrency           concurrent SMTP sessions, one platform thread each
 * @param sender                envelope sender and From: address
 * @param recipientPattern      recipient address; {@code %d} becomes a number that is unique per recipient
 * @param recipientsPerMessage  RCPT TO commands per message
 * @param ehloName              name sent with EHLO
 * @param bdat                  send with BDAT LAST instead of DATA when the server advertises CHUNKING
 * @param messagesPerConnection messages per connection before QUIT and reconnect; 0 means no limit
 * @param replyTimeout          longest wait for a connection or a single reply
 * @param warmupMessages        messages sent first and left out of the report
 * @param pipelineDepth         messages a session keeps in flight on one connection with pipelined BDAT; 1 sends
 *                              one message at a time. Above 1 it needs {@code bdat}.
 * @param traffic               duration, rate, recipient domains and STARTTLS
 */
public record LoadOptions(String host, int port, long messages, SizeMix sizes, int concurrency,
                          String sender, String recipientPattern, int recipientsPerMessage, String ehloName,
                          boolean bdat, long messagesPerConnection, Duration replyTimeout, long warmupMessages,
                          int pipelineDepth, TrafficOptions traffic) {

  /** Keeps a single message inside one byte array. */
  public static final int MAX_MESSAGE_SIZE = 1 << 30;

  /** Keeps the unread replies of a full pipeline far below a socket receive buffer. */
  public static final int MAX_PIPELINE_DEPTH = 1024;

  public LoadOptions {
    requireNonNull(host, "host");
    requireNonNull(sender, "sender");
    requireNonNull(recipientPattern, "recipientPattern");
    requireNonNull(ehloName, "ehloName");
    requireNonNull(replyTimeout, "replyTimeout");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1-65535: " + port);
    if (messages < 1) throw new IllegalArgumentException("messages must be > 0: " + messages);
    requireNonNull(sizes, "sizes");
    requireNonNull(traffic, "traffic");
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be > 0: " + concurrency);
    if (recipientsPerMessage < 1) throw new IllegalArgumentException("rcpts must be > 0: " + recipientsPerMessage);
    if (messagesPerConnection < 0) throw new IllegalArgumentException("messages-per-connection must be >= 0");
    if (warmupMessages < 0) throw new IllegalArgumentException("warmup must be >= 0: " + warmupMessages);
    if (replyTimeout.isNegative() || replyTimeout.isZero() || replyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeout must be positive and below 24 days: " + replyTimeout);
    }
    if (pipelineDepth < 1 || pipelineDepth > MAX_PIPELINE_DEPTH) {
      throw new IllegalArgumentException("pipeline-depth must be 1-" + MAX_PIPELINE_DEPTH + ": " + pipelineDepth);
    }
    if (pipelineDepth > 1 && !bdat) {
      throw new IllegalArgumentException("pipeline-depth above 1 needs --bdat: messages are pipelined with BDAT LAST");
    }
    if (ehloName.isBlank() || ehloName.contains(" ")) throw new IllegalArgumentException("bad ehlo name: " + ehloName);
    try {
      String.format(Locale.ROOT, recipientPattern, 0L);
    } catch (IllegalFormatException e) {
      throw new IllegalArgumentException("bad recipient pattern (use %d for the number): " + recipientPattern, e);
    }
  }

  /** Options with the command-line defaults, for tests and embedding. */
  public static LoadOptions defaults(int port) {
    return new LoadOptions("127.0.0.1", port, 10_000, SizeMix.single(4096), 8, "loadgen@example.com",
        "user%d@example.com", 1, "loadgen.local", false, 0, Duration.ofSeconds(60), 0, 1, TrafficOptions.DEFAULTS);
  }

  public LoadOptions withMessages(long count) {
    return new LoadOptions(host, port, count, sizes, concurrency, sender, recipientPattern,
        recipientsPerMessage, ehloName, bdat, messagesPerConnection, replyTimeout, warmupMessages, pipelineDepth, traffic);
  }

  public LoadOptions withBdat(boolean useBdat) {
    return new LoadOptions(host, port, messages, sizes, concurrency, sender, recipientPattern,
        recipientsPerMessage, ehloName, useBdat, messagesPerConnection, replyTimeout, warmupMessages, pipelineDepth, traffic);
  }

  public LoadOptions withSize(int bytes) {
    return withSizes(SizeMix.single(bytes));
  }

  public LoadOptions withSizes(SizeMix mix) {
    return new LoadOptions(host, port, messages, mix, concurrency, sender, recipientPattern,
        recipientsPerMessage, ehloName, bdat, messagesPerConnection, replyTimeout, warmupMessages, pipelineDepth, traffic);
  }

  public LoadOptions withConcurrency(int sessions) {
    return new LoadOptions(host, port, messages, sizes, sessions, sender, recipientPattern,
        recipientsPerMessage, ehloName, bdat, messagesPerConnection, replyTimeout, warmupMessages, pipelineDepth, traffic);
  }

  public LoadOptions withMessagesPerConnection(long perConnection) {
    return new LoadOptions(host, port, messages, sizes, concurrency, sender, recipientPattern,
        recipientsPerMessage, ehloName, bdat, perConnection, replyTimeout, warmupMessages, pipelineDepth, traffic);
  }

  public LoadOptions withWarmup(long warmup) {
    return new LoadOptions(host, port, messages, sizes, concurrency, sender, recipientPattern,
        recipientsPerMessage, ehloName, bdat, messagesPerConnection, replyTimeout, warmup, pipelineDepth, traffic);
  }

  public LoadOptions withRecipients(String pattern, int perMessage) {
    return new LoadOptions(host, port, messages, sizes, concurrency, sender, pattern,
        perMessage, ehloName, bdat, messagesPerConnection, replyTimeout, warmupMessages, pipelineDepth, traffic);
  }

  public LoadOptions withPipelineDepth(int depth) {
    return new LoadOptions(host, port, messages, sizes, concurrency, sender, recipientPattern,
        recipientsPerMessage, ehloName, bdat, messagesPerConnection, replyTimeout, warmupMessages, depth, traffic);
  }

  public LoadOptions withTraffic(TrafficOptions t) {
    return new LoadOptions(host, port, messages, sizes, concurrency, sender, recipientPattern,
        recipientsPerMessage, ehloName, bdat, messagesPerConnection, replyTimeout, warmupMessages, pipelineDepth, t);
  }

  /** Total messages sent, warm-up included; without meaning for a timed run. */
  long totalMessages() {
    return warmupMessages + messages;
  }
}
