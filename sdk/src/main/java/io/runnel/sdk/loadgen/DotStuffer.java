package io.runnel.sdk.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** DATA transparency (RFC 5321 4.5.2): a line that starts with '.' gets one more '.' in front. */
final class DotStuffer {

  private static final byte[] END_AFTER_CRLF = {'.', '\r', '\n'};
  private static final byte[] END_WITHOUT_CRLF = {'\r', '\n', '.', '\r', '\n'};

  private DotStuffer() {
  }

  /**
   * Writes {@code content} dot-stuffed. Lines start at offset 0 and after CRLF only, as a strict
   * server reads them; a bare LF does not start a line.
   */
  static void writeStuffed(byte[] content, OutputStream out) throws IOException {
    int segmentStart = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '.' && startsLine(content, i)) {
        out.write(content, segmentStart, i - segmentStart);
        out.write('.');
        segmentStart = i;   // the original dot goes out with the next segment
      }
    }
    out.write(content, segmentStart, content.length - segmentStart);
  }

  /** Writes the end-of-data mark; the CRLF before the dot belongs to the last line when the content has one. */
  static void writeEndOfData(byte[] content, OutputStream out) throws IOException {
    out.write(endsWithCrlf(content) || content.length == 0 ? END_AFTER_CRLF : END_WITHOUT_CRLF);
  }

  /** Stuffed content plus end-of-data mark, as one array; for tests and small tools. */
  static byte[] stuffed(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
    try {
      writeStuffed(content, out);
      writeEndOfData(content, out);
    } catch (IOException e) {
      throw new UncheckedIOException("ByteArrayOutputStream does not throw", e);
    }
    return out.toByteArray();
  }

  private static boolean startsLine(byte[] content, int i) {
    return i == 0 || i >= 2 && content[i - 1] == '\n' && content[i - 2] == '\r';
  }

  private static boolean endsWithCrlf(byte[] content) {
    int n = content.length;
    return n >= 2 && content[n - 2] == '\r' && content[n - 1] == '\n';
  }
}
