package io.runnel.sdk.sink;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A message the sink accepted.
 *
 * @param sender     envelope sender, empty for the null sender {@code <>}
 * @param recipients accepted recipients, in RCPT order
 * @param content    the exact message bytes: after dot-unstuffing for DATA, as sent for BDAT; ends before the
 *                   end-of-data dot. Not copied, do not modify.
 */
public record ReceivedMessage(String sender, List<String> recipients, byte[] content) {
  public ReceivedMessage {
    requireNonNull(sender, "sender");
    requireNonNull(content, "content");
    recipients = List.copyOf(recipients);
  }
}
