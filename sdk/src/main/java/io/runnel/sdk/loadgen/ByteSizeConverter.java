package io.runnel.sdk.loadgen;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/** Parses sizes such as {@code 4096}, {@code 4KiB}, {@code 4k} or {@code 1MiB}; units are binary (1024). */
final class ByteSizeConverter implements ITypeConverter<Integer> {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kib|m|mib|g|gib)?");

  @Override
  public Integer convert(String value) {
    return parse(value);
  }

  static int parse(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) throw new IllegalArgumentException("not a size (use 4096, 4KiB or 1MiB): " + value);
    String unit = m.group(2) == null ? "b" : m.group(2);
    long multiplier = switch (unit.charAt(0)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1L;
    };
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("size too large: " + value, e);
    }
    if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("size too large: " + value);
    return (int) bytes;
  }
}
