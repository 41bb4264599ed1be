package io.runnel.sdk.ctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Aligned columns for people: a header row, then rows. A header written {@code ">COUNT"} right-aligns its column. */
final class Table {

  private final List<String> header;
  private final boolean[] right;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... header) {
    this.header = Arrays.stream(header).map(h -> h.startsWith(">") ? h.substring(1) : h).toList();
    this.right = new boolean[header.length];
    for (int c = 0; c < header.length; c++) right[c] = header[c].startsWith(">");
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
    for (int c = 0; c < columns; c++) {
      width[c] = header.get(c).length();
      for (List<String> row : rows) width[c] = Math.max(width[c], row.get(c).length());
    }
    print(out, header, width);
    rows.forEach(row -> print(out, row, width));
  }

  private void print(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) line.append("  ");
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      line.append(right[c] ? pad + cell : cell + pad);
    }
    out.println(line.toString().stripTrailing());
  }
}
