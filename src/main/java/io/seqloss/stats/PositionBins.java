package io.seqloss.stats;

/**
 * Fixed bins of timesteps for the loss-by-position curve: one bin per step below {@link
 * #EXACT_STEPS}, then 64 bins per doubling of the step. The bins depend on the step alone, never on
 * the data, so partial curves merge bin by bin, and a corpus of very long sequences still gives a
 * bounded curve (at most 2,368 bins).
 */
public final class PositionBins {
  /** Steps 0..1023 each have their own bin. */
  public static final int EXACT_STEPS = 1024;

  private static final int EXACT_BITS = 10;
  private static final int SUB_BITS = 6;

  private PositionBins() {}

  /** The bin of step t (t ≥ 0). */
  public static int of(int t) {
    if (t < EXACT_STEPS) {
      return t;
    }
    int octave = 31 - Integer.numberOfLeadingZeros(t); // ≥ 10
    int sub = (t >>> (octave - SUB_BITS)) & ((1 << SUB_BITS) - 1);
    return EXACT_STEPS + ((octave - EXACT_BITS) << SUB_BITS) + sub;
  }

  /** The first step of a bin. */
  public static long firstStep(int bin) {
    if (bin < EXACT_STEPS) {
      return bin;
    }
    int octave = EXACT_BITS + ((bin - EXACT_STEPS) >>> SUB_BITS);
    int sub = (bin - EXACT_STEPS) & ((1 << SUB_BITS) - 1);
    return (1L << octave) + ((long) sub << (octave - SUB_BITS));
  }

  /** The last step of a bin (inclusive). */
  public static long lastStep(int bin) {
    if (bin < EXACT_STEPS) {
      return bin;
    }
    int octave = EXACT_BITS + ((bin - EXACT_STEPS) >>> SUB_BITS);
    return firstStep(bin) + (1L << (octave - SUB_BITS)) - 1;
  }
}
