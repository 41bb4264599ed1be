package io.runnel.sdk.loadgen;

import java.util.ArrayList;
import java.util.List;

/**
 * Message sizes and their shares, e.g. {@code 4k:90,100k:10}: 90 of every 100 messages are 4 KiB, 10 are
 * 100 KiB. Which size message {@code n} gets is a fixed function of {@code n}, so a run can be rebuilt byte for
 * byte, and the shares hold over any long stretch of numbers.
 *
 * @param entries sizes in bytes with positive weights, in the order given
 */
public record SizeMix(List<Entry> entries) {

  /** One size and its weight (any positive number; shares are weight / sum of weights). */
  public record Entry(int bytes, int weight) {
    public Entry {
      if (bytes < 1 || bytes > LoadOptions.MAX_MESSAGE_SIZE) {
        throw new IllegalArgumentException("size must be 1 B to 1 GiB: " + bytes);
      }
      if (weight < 1) throw new IllegalArgumentException("weight must be > 0: " + weight);
    }
  }

  public SizeMix {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) throw new IllegalArgumentException("a size mix needs at least one size");
    long total = entries.stream().mapToLong(Entry::weight).sum();
    if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("weights too large: " + total);
  }

  /** Every message the same size. */
  public static SizeMix single(int bytes) {
    return new SizeMix(List.of(new Entry(bytes, 1)));
  }

  /**
   * Parses {@code SIZE:WEIGHT[,SIZE:WEIGHT...]}, sizes as {@link ByteSizeConverter} reads them.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static SizeMix parse(String spec) {
    List<Entry> entries = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      String[] sizeAndWeight = part.trim().split(":", -1);
      if (sizeAndWeight.length != 2) {
        throw new IllegalArgumentException("size mix part must be SIZE:WEIGHT, e.g. 4k:90: '" + part + "'");
      }
      int weight;
      try {
        weight = Integer.parseInt(sizeAndWeight[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("size mix weight is not a number: '" + part + "'", e);
      }
      entries.add(new Entry(ByteSizeConverter.parse(sizeAndWeight[0]), weight));
    }
    return new SizeMix(entries);
  }

  /** The size of message {@code number}: a hash of the number picks a point in the weights. */
  public int sizeOf(long number) {
    if (entries.size() == 1) return entries.get(0).bytes();
    long point = Long.remainderUnsigned(mix(number), totalWeight());
    for (Entry e : entries) {
      if (point < e.weight()) return e.bytes();
      point -= e.weight();
    }
    throw new IllegalStateException("unreachable: point beyond the weights");
  }

  /** The largest size, which bounds the buffers a run needs. */
  public int largest() {
    return entries.stream().mapToInt(Entry::bytes).max().orElseThrow();
  }

  /** The smallest size: it must still hold the headers. */
  public int smallest() {
    return entries.stream().mapToInt(Entry::bytes).min().orElseThrow();
  }

  private long totalWeight() {
    return entries.stream().mapToLong(Entry::weight).sum();
  }

  /** SplitMix64's finaliser: consecutive numbers land far apart, so the sizes interleave. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    if (entries.size() == 1) return entries.get(0).bytes() + " B";
    StringBuilder out = new StringBuilder();
    for (Entry e : entries) {
      if (out.length() > 0) out.append(',');
      out.append(e.bytes()).append(':').append(e.weight());
    }
    return out.toString();
  }
}
