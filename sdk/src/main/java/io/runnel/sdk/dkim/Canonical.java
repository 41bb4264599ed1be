package io.runnel.sdk.dkim;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;

/** RFC 6376 section 3.4: simple and relaxed canonicalisation of header fields and bodies. */
final class Canonical {

  private Canonical() {
  }

  /** Lower-case name, unfolded value with runs of whitespace as one space, none around the colon or at the end. */
  static String relaxedHeader(DkimVerifier.HeaderField field) {
    String value = field.value().replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
    return field.name().toLowerCase(Locale.ROOT) + ":" + value + "\r\n";
  }

  /** The body with empty lines at its end removed; an empty body becomes one CRLF. */
  static byte[] simpleBody(byte[] body) {
    if (body.length > 0 && !endsWithCrlf(body, body.length)) body = concat(body, "\r\n");
    int end = body.length;
    while (end >= 4 && endsWithCrlf(body, end) && endsWithCrlf(body, end - 2)) end -= 2;
    if (end == 0) return "\r\n".getBytes(ISO_8859_1);
    return Arrays.copyOf(body, end);
  }

  /** Whitespace runs as one space, none at line ends, no empty lines at the end; an empty body stays empty. */
  static byte[] relaxedBody(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
    int emptyLines = 0;
    int pos = 0;
    while (pos < body.length) {
      int eol = indexOfCrlf(body, pos);
      int lineEnd = eol < 0 ? body.length : eol;
      ByteArrayOutputStream line = new ByteArrayOutputStream(lineEnd - pos);
      boolean pendingSpace = false;
      for (int i = pos; i < lineEnd; i++) {
        byte b = body[i];
        if (b == ' ' || b == '\t') {
          pendingSpace = true;
        } else {
          if (pendingSpace) line.write(' ');
          pendingSpace = false;
          line.write(b);
        }
      }
      if (line.size() == 0) {
        emptyLines++;
      } else {
        for (; emptyLines > 0; emptyLines--) out.writeBytes(new byte[] {'\r', '\n'});
        out.writeBytes(line.toByteArray());
        out.writeBytes(new byte[] {'\r', '\n'});
      }
      pos = eol < 0 ? body.length : eol + 2;
    }
    return out.toByteArray();
  }

  private static boolean endsWithCrlf(byte[] b, int end) {
    return end >= 2 && b[end - 2] == '\r' && b[end - 1] == '\n';
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') return i;
    }
    return -1;
  }

  private static byte[] concat(byte[] body, String tail) {
    byte[] out = Arrays.copyOf(body, body.length + tail.length());
    System.arraycopy(tail.getBytes(ISO_8859_1), 0, out, body.length, tail.length());
    return out;
  }
}
