package io.runnel.sdk.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeConverterTest {

  @Test
  void acceptsPlainBytesAndBinaryUnits() {
    assertThat(ByteSizeConverter.parse("4096")).isEqualTo(4096);
    assertThat(ByteSizeConverter.parse("4KiB")).isEqualTo(4096);
    assertThat(ByteSizeConverter.parse("4k")).isEqualTo(4096);
    assertThat(ByteSizeConverter.parse("1MiB")).isEqualTo(1 << 20);
    assertThat(ByteSizeConverter.parse("1 GiB")).isEqualTo(1 << 30);
  }

  @Test
  void refusesUnknownUnitsAndOverflow() {
    assertThatThrownBy(() -> ByteSizeConverter.parse("4 parsecs")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteSizeConverter.parse("4GiB")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteSizeConverter.parse("-1")).isInstanceOf(IllegalArgumentException.class);
  }
}
