package io.runnel.sdk.sink;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides the reply to each {@code RCPT TO}, so delivery tests can script 4xx and 5xx answers.
 * Called on a Netty event loop, possibly concurrently: it must be fast, thread-safe and must not block.
 */
@FunctionalInterface
public interface RecipientPolicy {

  SinkReply ACCEPTED = SinkReply.of(250, "2.1.5 Ok");

  /** The reply to {@code RCPT TO:<recipient>}; a 2xx reply adds the recipient to the transaction. */
  SinkReply replyTo(String recipient);

  static RecipientPolicy acceptAll() {
    return recipient -> ACCEPTED;
  }

  /** Scripted replies by address (compared case-insensitively); any other recipient is accepted. */
  static RecipientPolicy scripted(Map<String, SinkReply> replies) {
    Map<String, SinkReply> byAddress = replies.entrySet().stream()
        .collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT),
            e -> requireNonNull(e.getValue(), "reply")));
    return recipient -> byAddress.getOrDefault(recipient.toLowerCase(Locale.ROOT), ACCEPTED);
  }
}
