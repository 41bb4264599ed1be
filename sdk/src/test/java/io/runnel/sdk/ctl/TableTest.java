package io.runnel.sdk.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAlignLeftUnlessMarkedRightAndLinesHaveNoTrailingBlanks() {
    StringWriter text = new StringWriter();
    new Table("NAME", ">COUNT", ">SIZE", "NOTE").row("acme", 5, "1.0 KiB", "").row("globex-long", 12345, "900 B", "x").print(new PrintWriter(text, true));

    assertThat(text.toString()).isEqualTo("""
        NAME         COUNT     SIZE  NOTE
        acme             5  1.0 KiB
        globex-long  12345    900 B  x
        """);
  }
}
