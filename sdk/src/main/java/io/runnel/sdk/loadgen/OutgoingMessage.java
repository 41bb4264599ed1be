package io.runnel.sdk.loadgen;

import java.util.List;

/**
 * One message as the generator sends it.
 *
 * @param number     position in the run, starting at 0 (warm-up messages come first)
 * @param sender     envelope sender
 * @param recipients envelope recipients
 * @param content    the whole message with CRLF line endings, before dot-stuffing; not copied, do not modify
 */
record OutgoingMessage(long number, String sender, List<String> recipients, byte[] content) {
  OutgoingMessage {
    recipients = List.copyOf(recipients);
  }
}
