package io.seqloss.reduce;

import java.io.Serializable;

/**
 * Many exact sums side by side, stored digit by digit: digit i of every sum is one run of {@link
 * #size()} longs. Adding one term to each sum a number of times (the bootstrap adds a sequence's
 * terms to all its replicates) is then three loops of multiply-adds over contiguous longs, with the
 * term's case decided once, instead of a walk over as many {@link ExactSum} objects. Each sum is
 * the same exact value {@link ExactSum} would hold; {@link #sum} hands one over as an ExactSum.
 */
public final class ExactSumColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The largest count {@link #addEach} takes for one sum. */
  public static final long MAX_TIMES = 1 << 20;

  // Each call adds below 2^32 · 2^20 to a digit (2^31 · 2^20 to an integer count): 2^10 calls
  // between carries keep every long below 2^62, and a carry costs a pass over the digits.
  private static final int CALLS_BEFORE_CARRY = 1 << 10;

  private final int size;
  private final long[] digits; // digit i of sum s at i * size + s
  private final long[] integers; // the small integer terms of sum s, as ExactSum counts them
  private final long[] nonFinite; // NaN, +∞ and −∞ counts of sum s at 3s, 3s + 1, 3s + 2
  private int callsSinceCarry;

  public ExactSumColumns(int size) {
    this.size = size;
    this.digits = new long[ExactSum.DIGITS * size];
    this.integers = new long[size];
    this.nonFinite = new long[3 * size];
  }

  public int size() {
    return size;
  }

  /**
   * Adds the term {@code times[s]} times to sum s, for every s (0 ≤ times[s] ≤ {@link #MAX_TIMES}):
   * exactly what as many {@link ExactSum#add(double)} calls add. No test of the counts: multiplying
   * by 0 costs less than a branch on a random count would.
   */
  public void addEach(ExactSum.Term term, long[] times) {
    if (term.isInteger) {
      long v = term.integerValue;
      for (int s = 0; s < size; s++) {
        integers[s] += v * times[s];
      }
    } else if (!Double.isFinite(term.value)) {
      int kind = Double.isNaN(term.value) ? 0 : term.value > 0 ? 1 : 2;
      for (int s = 0; s < size; s++) {
        nonFinite[3 * s + kind] += times[s];
      }
    } else {
      addColumn(term.index * size, term.d0, times);
      addColumn((term.index + 1) * size, term.d1, times);
      addColumn((term.index + 2) * size, term.d2, times);
    }
    if (++callsSinceCarry >= CALLS_BEFORE_CARRY) {
      carry();
    }
  }

  /** One digit of every sum: one array, one index, no branch. */
  private void addColumn(int from, long digit, long[] times) {
    for (int s = 0; s < size; s++) {
      digits[from + s] += digit * times[s];
    }
  }

  /** Adds another set of sums of the same size, sum by sum. */
  public void merge(ExactSumColumns other) {
    if (other.size != size) {
      throw new IllegalArgumentException(
          "cannot merge " + other.size + " exact sums into " + size + " exact sums");
    }
    carry();
    other.carry();
    for (int i = 0; i < digits.length; i++) {
      digits[i] += other.digits[i];
    }
    for (int s = 0; s < size; s++) {
      integers[s] += other.integers[s];
    }
    for (int i = 0; i < nonFinite.length; i++) {
      nonFinite[i] += other.nonFinite[i];
    }
    carry();
  }

  /** Sum s as an {@link ExactSum} of its own. */
  public ExactSum sum(int s) {
    long[] column = new long[ExactSum.DIGITS];
    for (int i = 0; i < column.length; i++) {
      column[i] = digits[i * size + s];
    }
    return ExactSum.of(
        column, integers[s], nonFinite[3 * s], nonFinite[3 * s + 1], nonFinite[3 * s + 2]);
  }

  /**
   * Folds the integer counts into the digits at 2^0, then brings every digit but the top one into
   * [0, 2^32), digit by digit across all sums.
   */
  private void carry() {
    for (int s = 0; s < size; s++) {
      // below 2^62 in magnitude: at most 2^10 calls of 2^51 each
      ExactSum.addInteger(integers[s], digits, ExactSum.ONE_INDEX * size + s, size);
      integers[s] = 0;
    }
    for (int i = 0; i < ExactSum.DIGITS - 1; i++) {
      int from = i * size;
      int to = from + size;
      for (int s = 0; s < size; s++) {
        long digit = digits[from + s];
        digits[to + s] += digit >> ExactSum.DIGIT_BITS;
        digits[from + s] = digit & ExactSum.DIGIT_MASK;
      }
    }
    callsSinceCarry = 0;
  }
}
