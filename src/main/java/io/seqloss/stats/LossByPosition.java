package io.seqloss.stats;

import io.seqloss.reduce.ExactSum;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loss by position, for every run whatever its reduction: per {@link PositionBins bin} of steps, the
 * exact sums a ratio estimator over sequences needs, Σx, Σd, Σx², Σxd, Σd² (x a token's weighted loss, d
 * its denominator share: its weight, or 1 for a non-zero weight under the sum_over flags), with the
 * number of tokens. Exact sums make the curve and its band the same bits in any partitioning.
 */
public final class LossByPosition implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Sums per bin: x, d, x², xd, d². */
  private static final int SUMS = 5;

  private ExactSum[] sums = new ExactSum[0];
  private long[] tokens = new long[0];
  private int bins;

  /** Adds one token at step t. */
  public void add(int t, double x, double d) {
    int bin = PositionBins.of(t);
    if (bin >= bins) {
      grow(bin + 1);
    }
    int at = bin * SUMS;
    sums[at].add(x);
    sums[at + 1].add(d);
    sums[at + 2].add(x * x);
    sums[at + 3].add(x * d);
    sums[at + 4].add(d * d);
    tokens[bin]++;
  }

  public void merge(LossByPosition other) {
    if (other.bins > bins) {
      grow(other.bins);
    }
    for (int i = 0; i < other.bins * SUMS; i++) {
      sums[i].merge(other.sums[i]);
    }
    for (int b = 0; b < other.bins; b++) {
      tokens[b] += other.tokens[b];
    }
  }

  private void grow(int n) {
    int capacity = Math.max(n, bins * 2);
    if (capacity > tokens.length) {
      sums = Arrays.copyOf(sums, capacity * SUMS);
      tokens = Arrays.copyOf(tokens, capacity);
    }
    for (int i = bins * SUMS; i < n * SUMS; i++) {
      sums[i] = new ExactSum();
    }
    bins = n;
  }

  /**
   * The curve: per non-empty bin, Σx/Σd and its 95 % band from the delta-method (ratio estimator)
   * standard error with the sequence as the sampling unit,
   * {@code SE² = n/(n−1) · (Σx² − 2RΣxd + R²Σd²) / (Σd)²}, evaluated in double from the exact sums
   * (a drawn band needs no more; negative rounding residue is taken as 0).
   */
  public List<PositionPoint> points() {
    List<PositionPoint> points = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      long n = tokens[b];
      if (n == 0) {
        continue;
      }
      int at = b * SUMS;
      double x = sums[at].value();
      double d = sums[at + 1].value();
      Double loss = d == 0.0 ? null : x / d;
      Double se = null;
      if (loss != null && n > 1) {
        double residual = sums[at + 2].value() - 2 * loss * sums[at + 3].value() + loss * loss * sums[at + 4].value();
        se = Math.sqrt(Math.max(0.0, residual) * n / (n - 1)) / Math.abs(d);
      }
      points.add(new PositionPoint(PositionBins.firstStep(b), PositionBins.lastStep(b), loss,
          se == null ? null : loss - Z95 * se, se == null ? null : loss + Z95 * se, d, n));
    }
    return points;
  }

  /** Φ⁻¹(0.975). */
  static final double Z95 = 1.959963984540054;

  /**
   * One bin of the curve: steps {@code [first_step, last_step]}, its loss (null when nothing there has
   * weight), the 95 % band (null with fewer than two tokens), the denominator sum and the token count.
   */
  public record PositionPoint(long firstStep, long lastStep, Double loss, Double lower, Double upper,
      double weightSum, long tokens) {}
}
