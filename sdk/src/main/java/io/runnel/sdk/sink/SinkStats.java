package io.runnel.sdk.sink;

import java.util.Locale;

/**
 * A snapshot of a sink's counters.
 *
 * @param messages           accepted messages
 * @param bytes              content bytes of accepted messages
 * @param tempfailed         messages answered 4xx by {@link ReplyShares}
 * @param permfailed         messages answered 5xx by {@link ReplyShares}
 * @param stalled            messages left unanswered by {@link ReplyShares}
 * @param connections        connections accepted
 * @param dkimPass           sampled messages whose signature verified
 * @param dkimFail           sampled messages with a signature for the key's algorithm that did not verify
 * @param dkimNone           sampled messages without such a signature
 * @param firstMessageMillis epoch milliseconds of the first accepted message, 0 before it
 * @param lastMessageMillis  epoch milliseconds of the latest accepted message, 0 before it
 */
public record SinkStats(long messages, long bytes, long tempfailed, long permfailed, long stalled, long connections,
                        long dkimPass, long dkimFail, long dkimNone, long firstMessageMillis,
                        long lastMessageMillis) {

  public long dkimChecked() {
    return dkimPass + dkimFail + dkimNone;
  }

  /** One JSON object on one line, for scripts. */
  public String toJson() {
    return String.format(Locale.ROOT, "{\"messages\":%d,\"bytes\":%d,\"tempfailed\":%d,\"permfailed\":%d,"
            + "\"stalled\":%d,\"connections\":%d,\"dkim\":{\"checked\":%d,\"pass\":%d,\"fail\":%d,\"none\":%d},"
            + "\"first_message_ms\":%d,\"last_message_ms\":%d}",
        messages, bytes, tempfailed, permfailed, stalled, connections, dkimChecked(), dkimPass, dkimFail, dkimNone,
        firstMessageMillis, lastMessageMillis);
  }
}
