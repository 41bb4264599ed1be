package io.runnel.sdk.ctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Aligned columns for people: a header row, then rows; numeric columns are right-aligned. */
final class Table {

  private static final Pattern NUMBER = Pattern.compile("-?[0-9][0-9.,]*( ?[KMGT]?i?B)?");

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = List.of(header);
  }

  Table row(Object... cells) {
    if (cells.length != header.size()) throw new IllegalArgumentException("expected " + header.size() + " cells");
    rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c.toString()).toList());
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int columns = header.size();
    int[] width = new int[columns];
    boolean[] numeric = new boolean[columns];
    for (int c = 0; c < columns; c++) {
      width[c] = header.get(c).length();
      numeric[c] = !rows.isEmpty();
      for (List<String> row : rows) {
        width[c] = Math.max(width[c], row.get(c).length());
        numeric[c] &= row.get(c).isEmpty() || NUMBER.matcher(row.get(c)).matches();
      }
    }
    print(out, header, width, numeric);
    rows.forEach(row -> print(out, row, width, numeric));
  }

  private static void print(PrintWriter out, List<String> cells, int[] width, boolean[] numeric) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) line.append("  ");
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      line.append(numeric[c] ? pad + cell : cell + (c == cells.size() - 1 ? "" : pad));
    }
    out.println(line);
  }
}
