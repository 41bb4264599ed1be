package io.runnel.sdk.ctl;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Where a command's answer goes: a table or lines for people, or JSON (snake_case proto field names) for scripts. */
final class Output {

  private static final JsonFormat.Printer DOCUMENT = JsonFormat.printer().preservingProtoFieldNames()
      .alwaysPrintFieldsWithNoPresence();
  private static final JsonFormat.Printer LINE = DOCUMENT.omittingInsignificantWhitespace();

  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** One JSON document. */
  void document(MessageOrBuilder message) {
    out.println(print(DOCUMENT, message));
    out.flush();
  }

  /** One JSON line of a stream. */
  void jsonLine(MessageOrBuilder message) {
    out.println(print(LINE, message));
    out.flush();
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  /** "key: value" lines, values aligned. */
  void fields(List<Map.Entry<String, String>> fields) {
    int width = fields.stream().mapToInt(f -> f.getKey().length()).max().orElse(0);
    fields.forEach(f -> out.println((f.getKey() + ":" + " ".repeat(width - f.getKey().length() + 1) + f.getValue()).stripTrailing()));
    out.flush();
  }

  void table(Table table) {
    table.print(out);
    out.flush();
  }

  private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a runnel.v1 message has no JSON form", e); // only Any fields could, and we have none
    }
  }
}
