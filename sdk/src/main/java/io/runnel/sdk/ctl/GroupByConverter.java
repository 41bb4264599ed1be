package io.runnel.sdk.ctl;

import io.runnel.grpc.v1.GroupBy;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code tenant}, {@code campaign}, {@code domain}, {@code site}, {@code source}, {@code pool}, {@code queue}. */
final class GroupByConverter implements ITypeConverter<GroupBy> {

  static final String NAMES = Arrays.stream(GroupBy.values())
      .filter(g -> g != GroupBy.GROUP_BY_UNSPECIFIED && g != GroupBy.UNRECOGNIZED)
      .map(GroupByConverter::name).collect(Collectors.joining(", "));

  @Override
  public GroupBy convert(String value) {
    try {
      GroupBy g = GroupBy.valueOf("GROUP_BY_" + value.trim().toUpperCase(Locale.ROOT));
      if (g != GroupBy.GROUP_BY_UNSPECIFIED) return g;
    } catch (IllegalArgumentException e) {
      // falls through to the message naming the choices
    }
    throw new TypeConversionException("'" + value + "' is not a dimension; use " + NAMES);
  }

  static String name(GroupBy g) {
    return g.name().substring("GROUP_BY_".length()).toLowerCase(Locale.ROOT);
  }
}
