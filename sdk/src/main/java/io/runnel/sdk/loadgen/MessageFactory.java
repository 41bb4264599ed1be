package io.runnel.sdk.loadgen;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds message number {@code n} of a run: a deterministic function of the options, the clock and {@code n},
 * so a test can rebuild the exact bytes a server should have received.
 */
final class MessageFactory {

  /** Body lines are at most this long, CRLF included (RFC 5322 recommends 78 characters). */
  private static final int LINE_LENGTH = 78;
  private static final int FIRST_PRINTABLE = '!';
  private static final int PRINTABLE_COUNT = '~' - '!' + 1;

  private final String sender;
  private final String recipientPattern;
  private final int recipientsPerMessage;
  private final SizeMix sizes;
  private final TrafficOptions traffic;
  private final String domain;
  private final String date;
  private final String runId;

  MessageFactory(LoadOptions options, Clock clock) {
    this.sender = options.sender();
    this.recipientPattern = options.recipientPattern();
    this.recipientsPerMessage = options.recipientsPerMessage();
    this.sizes = options.sizes();
    this.traffic = options.traffic();
    this.domain = options.ehloName();
    this.date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock));
    this.runId = Long.toString(clock.millis(), 36);
  }

  /**
   * Recipient {@code i} of message {@code n}; the pattern gets {@code r = n * rcpts + i}, which is {@code n} for
   * one. With {@link TrafficOptions#domains()} the domain part becomes domain number {@code r % domains}.
   */
  List<String> recipients(long number) {
    List<String> out = new ArrayList<>(recipientsPerMessage);
    for (int i = 0; i < recipientsPerMessage; i++) {
      long r = number * recipientsPerMessage + i;
      String address = String.format(Locale.ROOT, recipientPattern, r);
      if (traffic.domains() > 0) {
        int at = address.lastIndexOf('@');
        address = (at < 0 ? address : address.substring(0, at)) + "@" + traffic.domainOf(r);
      }
      out.add(address);
    }
    return out;
  }

  /**
   * Message {@code number}, exactly as long as the size mix says for that number.
   *
   * @throws IllegalArgumentException when the size cannot hold the headers
   */
  OutgoingMessage message(long number) {
    List<String> recipients = recipients(number);
    int size = sizes.sizeOf(number);
    String headers = headers(number, recipients, "");
    int bodyBytes = size - headers.length();
    if (bodyBytes == 1) {
      // A body line needs at least CRLF, so spend the odd byte in the subject instead.
      headers = headers(number, recipients, ".");
      bodyBytes = 0;
    }
    if (bodyBytes < 0) {
      throw new IllegalArgumentException(
          "size " + size + " is smaller than the headers of message " + number + " (" + headers.length() + " bytes)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(headers.getBytes(US_ASCII));
    writeBody(out, bodyBytes);
    return new OutgoingMessage(number, sender, recipients, out.toByteArray());
  }

  private String headers(long number, List<String> recipients, String subjectPad) {
    StringBuilder h = new StringBuilder(256);
    h.append("From: <").append(sender).append(">\r\n");
    h.append("To: ");
    for (int i = 0; i < recipients.size(); i++) {
      if (i > 0) h.append(",\r\n ");   // folded so many recipients never exceed the line limit
      h.append('<').append(recipients.get(i)).append('>');
    }
    h.append("\r\n");
    h.append("Subject: Runnel load test message ").append(number).append(subjectPad).append("\r\n");
    h.append("Date: ").append(date).append("\r\n");
    h.append("Message-ID: <").append(number).append('.').append(runId).append(".loadgen@").append(domain)
        .append(">\r\n");
    h.append("MIME-Version: 1.0\r\n");
    h.append("Content-Type: text/plain; charset=us-ascii\r\n");
    h.append("\r\n");
    return h.toString();
  }

  /**
   * Lines of printable ASCII, each shifted by one character, so every 94th line starts with '.'
   * and the server's dot-unstuffing is exercised.
   */
  private static void writeBody(ByteArrayOutputStream out, int bytes) {
    byte[] line = new byte[LINE_LENGTH];
    int remaining = bytes;
    for (int lineNo = 0; remaining > 0; lineNo++) {
      int length = Math.min(remaining, LINE_LENGTH);
      if (remaining - length == 1) length--;   // never leave a single byte, it cannot end in CRLF
      int text = length - 2;
      for (int i = 0; i < text; i++) {
        line[i] = (byte) (FIRST_PRINTABLE + (lineNo + i) % PRINTABLE_COUNT);
      }
      line[text] = '\r';
      line[text + 1] = '\n';
      out.write(line, 0, length);
      remaining -= length;
    }
  }
}
