package io.runnel.sdk.loadgen;

import java.util.List;

/** One SMTP reply as read from the server; {@code lines} hold the text after the code. */
record Reply(int code, List<String> lines) {
  Reply {
    if (code < 200 || code > 599) throw new IllegalArgumentException("reply code out of range: " + code);
    lines = List.copyOf(lines);
  }

  boolean isPositive() {
    return code / 100 == 2;
  }

  boolean isIntermediate() {
    return code / 100 == 3;
  }
}
