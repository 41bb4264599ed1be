package io.runnel.sdk.sink;

import java.util.List;

/**
 * A reply the sink sends; the text carries the enhanced status code, e.g. {@code 550 "5.1.1 No such user"}.
 *
 * @param code  three-digit reply code, 200-599
 * @param lines reply text, one entry per line (several for EHLO)
 */
public record SinkReply(int code, List<String> lines) {

  public SinkReply {
    if (code < 200 || code > 599) throw new IllegalArgumentException("reply code must be 200-599: " + code);
    lines = List.copyOf(lines);
    if (lines.isEmpty()) throw new IllegalArgumentException("reply needs at least one line");
    for (String line : lines) {
      if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("reply text must not contain CR or LF: " + line);
      }
    }
  }

  public static SinkReply of(int code, String text) {
    return new SinkReply(code, List.of(text));
  }

  public boolean isPositive() {
    return code / 100 == 2;
  }
}
