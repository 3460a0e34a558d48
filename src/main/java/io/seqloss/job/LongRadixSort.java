package io.seqloss.job;

/**
 * Sorts longs by their unsigned value: four counting passes of 16 bits, a pass skipped when every
 * key has the same digit there (sequential long ids share their high bits). Hand-written because
 * the JDK has none: {@code Arrays.sort} of a bucket of id keys was about 6 % of a narrow run's task
 * samples (JFR, BENCHMARKS.md), and a radix sort streams through memory where quicksort compares.
 * The duplicate-id count needs only equal keys side by side, which any total order gives.
 */
final class LongRadixSort {
  private static final int BITS = 16;
  private static final int RADIX = 1 << BITS;

  private LongRadixSort() {}

  /** Sorts {@code keys} in place by unsigned value. */
  static void sort(long[] keys) {
    long[] from = keys;
    long[] to = new long[keys.length];
    int[] counts = new int[RADIX + 1];
    for (int shift = 0; shift < Long.SIZE; shift += BITS) {
      java.util.Arrays.fill(counts, 0);
      for (long key : from) {
        counts[digit(key, shift) + 1]++;
      }
      if (counts[digit(from.length == 0 ? 0 : from[0], shift) + 1] == from.length) {
        continue; // every key has this digit: the pass would not move anything
      }
      for (int d = 0; d < RADIX; d++) {
        counts[d + 1] += counts[d]; // counts[d]: where digit d's keys start
      }
      for (long key : from) {
        to[counts[digit(key, shift)]++] = key;
      }
      long[] swap = from;
      from = to;
      to = swap;
    }
    if (from != keys) {
      System.arraycopy(from, 0, keys, 0, keys.length);
    }
  }

  private static int digit(long key, int shift) {
    return (int) (key >>> shift) & (RADIX - 1);
  }
}
