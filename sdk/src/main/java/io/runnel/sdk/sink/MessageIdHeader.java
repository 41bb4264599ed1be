package io.runnel.sdk.sink;

import java.nio.charset.StandardCharsets;

/** Finds the Message-ID header's value in a message's header section, without parsing the rest. */
final class MessageIdHeader {

  private static final byte[] NAME = "message-id:".getBytes(StandardCharsets.US_ASCII);

  private MessageIdHeader() {
  }

  /** The trimmed, unfolded value of the first Message-ID header; "" when the header section has none. */
  static String of(byte[] content) {
    int line = 0;
    while (line < content.length && !(content[line] == '\r' || content[line] == '\n')) { // a blank line ends the headers
      int end = lineEnd(content, line);
      if (startsWithName(content, line)) {
        StringBuilder value = new StringBuilder(new String(content, line + NAME.length, end - line - NAME.length, StandardCharsets.UTF_8));
        int next = next(content, end);
        while (next < content.length && (content[next] == ' ' || content[next] == '\t')) { // folded onto more lines
          int nextEnd = lineEnd(content, next);
          value.append(new String(content, next, nextEnd - next, StandardCharsets.UTF_8));
          next = next(content, nextEnd);
        }
        return value.toString().strip();
      }
      line = next(content, end);
    }
    return "";
  }

  private static boolean startsWithName(byte[] content, int at) {
    if (content.length - at < NAME.length) return false;
    for (int i = 0; i < NAME.length; i++) {
      if (Character.toLowerCase(content[at + i]) != NAME[i]) return false;
    }
    return true;
  }

  private static int lineEnd(byte[] content, int from) {
    int i = from;
    while (i < content.length && content[i] != '\r' && content[i] != '\n') i++;
    return i;
  }

  private static int next(byte[] content, int lineEnd) {
    int i = lineEnd;
    if (i < content.length && content[i] == '\r') i++;
    if (i < content.length && content[i] == '\n') i++;
    return i;
  }
}
